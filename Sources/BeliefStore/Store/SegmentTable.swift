import Beliefs
import Foundation
import GRDB

/// The rows of `belief_segment` and `belief_tail`: SQL in one place, always parameterised.
enum SegmentTable {
    struct SegmentRow {
        let id: Int64
        let sourceID: SourceID
        let count: Int
        let run: BeliefRun
    }

    /// Encodes a sorted run and stores it as one segment.
    static func insert(_ run: BeliefRun, sensorID: SensorID, sourceID: SourceID, in db: Database) throws {
        try insert(run, encoded: Data(SegmentCodec.encode(run.columns)), sensorID: sensorID, sourceID: sourceID, in: db)
    }

    /// Stores a sorted run as one segment, given its encoding.
    static func insert(_ run: BeliefRun, encoded bytes: Data, sensorID: SensorID, sourceID: SourceID, in db: Database) throws {
        precondition(run.count > 0, "empty segments are never written")
        let columns = run.columns
        try db.cachedStatement(sql: """
            INSERT INTO belief_segment (sensor_id, source_id, first_event_start_us, last_event_start_us,
                min_belief_time_us, max_belief_time_us, belief_count, data)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(
            arguments: [
                sensorID, sourceID, columns.eventStarts.first!, columns.eventStarts.last!,
                columns.beliefTimes.min()!, columns.beliefTimes.max()!, run.count, bytes,
            ]
        )
    }

    /// Stores a sorted run as segments of at most `maximum` beliefs; returns how many.
    static func insertChunked(_ run: BeliefRun, maximum: Int, sensorID: SensorID, sourceID: SourceID, in db: Database) throws -> Int {
        let chunks = run.chunks(maximum: maximum)
        for chunk in chunks {
            try insert(chunk, sensorID: sensorID, sourceID: sourceID, in: db)
        }
        return chunks.count
    }

    static func delete(segmentIDs: [Int64], in db: Database) throws {
        guard !segmentIDs.isEmpty else { return }
        try db.execute(
            sql: "DELETE FROM belief_segment WHERE id IN (\(databaseQuestionMarks(count: segmentIDs.count)))",
            arguments: StatementArguments(segmentIDs)
        )
    }

    /// Segments of a sensor whose events overlap [firstEvent, lastEvent] (both inclusive), optionally of
    /// some sources only and with belief times in a range, decoded.
    static func segments(
        sensorID: SensorID, firstEvent: Int64, lastEvent: Int64, sources: Set<SourceID>? = nil,
        beliefTimes: ClosedRange<Int64>? = nil, in db: Database
    ) throws -> [SegmentRow] {
        var sql = """
            SELECT id, source_id, belief_count, data FROM belief_segment
            WHERE sensor_id = ? AND last_event_start_us >= ? AND first_event_start_us <= ?
            """
        var arguments: StatementArguments = [sensorID, firstEvent, lastEvent]
        if let sources {
            sql += " AND source_id IN (\(databaseQuestionMarks(count: sources.count)))"
            arguments += StatementArguments(sources.sorted())
        }
        if let beliefTimes {
            sql += " AND max_belief_time_us >= ? AND min_belief_time_us <= ?"
            arguments += [beliefTimes.lowerBound, beliefTimes.upperBound]
        }
        sql += " ORDER BY first_event_start_us, id"
        return try decodeRows(db, sql: sql, arguments: arguments)
    }

    /// The pair's latest segment holding fewer than `maximum` beliefs, decoded; nil when there is none.
    static func latestSmallSegment(sensorID: SensorID, sourceID: SourceID, below maximum: Int, in db: Database) throws -> SegmentRow? {
        try decodeRows(
            db,
            sql: """
                SELECT id, source_id, belief_count, data FROM belief_segment
                WHERE sensor_id = ? AND source_id = ? AND belief_count < ?
                ORDER BY last_event_start_us DESC, id DESC LIMIT 1
                """,
            arguments: [sensorID, sourceID, maximum]
        ).first
    }

    /// Ids and belief counts of a pair's segments in event order, without reading their data.
    static func segmentSizes(sensorID: SensorID, sourceID: SourceID, in db: Database) throws -> [(id: Int64, count: Int)] {
        try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT id, belief_count FROM belief_segment WHERE sensor_id = ? AND source_id = ?
                ORDER BY first_event_start_us, id
                """),
            arguments: [sensorID, sourceID]
        ).map { (id: $0[0], count: $0[1]) }
    }

    /// The segments with these ids, decoded, in event order.
    static func segments(ids: [Int64], in db: Database) throws -> [SegmentRow] {
        guard !ids.isEmpty else { return [] }
        return try decodeRows(
            db,
            sql: """
                SELECT id, source_id, belief_count, data FROM belief_segment
                WHERE id IN (\(databaseQuestionMarks(count: ids.count))) ORDER BY first_event_start_us, id
                """,
            arguments: StatementArguments(ids)
        )
    }

    private static func decodeRows(_ db: Database, sql: String, arguments: StatementArguments) throws -> [SegmentRow] {
        // Cached: the same few query shapes run on every append and read.
        let cursor = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: arguments)
        var rows: [SegmentRow] = []
        while let row = try cursor.next() {
            let id: Int64 = row[0]
            let count: Int = row[2]
            let columns: SegmentColumns
            do {
                columns = try row.withUnsafeData(atIndex: 3) { data -> SegmentColumns in
                    guard let data else { throw SegmentCodecError.truncated }
                    return try data.withUnsafeBytes { buffer in try SegmentCodec.decode(buffer) }
                }
            } catch let error as SegmentCodecError {
                throw BeliefStoreError.corruptSegment(segmentID: id, reason: error.description)
            }
            guard columns.count == count else {
                throw BeliefStoreError.corruptSegment(
                    segmentID: id, reason: "holds \(columns.count) beliefs where its row says \(count)"
                )
            }
            rows.append(SegmentRow(id: id, sourceID: row[1], count: count, run: BeliefRun(columns: columns)))
        }
        return rows
    }

    // MARK: tail

    static func insertTail(_ belief: Belief, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO belief_tail (sensor_id, event_start_us, belief_time_us, source_id, cumulative_probability, value)
            VALUES (?, ?, ?, ?, ?, ?)
            """).execute(
            arguments: [
                belief.sensorID, belief.eventStart.microsecondsSinceEpoch, belief.beliefTime.microsecondsSinceEpoch,
                belief.sourceID, belief.cumulativeProbability, belief.value,
            ]
        )
    }

    /// Tail beliefs of a sensor with events in [firstEvent, lastEvent], optionally of one source.
    static func tail(
        sensorID: SensorID, firstEvent: Int64, lastEvent: Int64, sourceID: SourceID? = nil, in db: Database
    ) throws -> [Belief] {
        try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT event_start_us, belief_time_us, source_id, cumulative_probability, value FROM belief_tail
                WHERE sensor_id = ? AND event_start_us BETWEEN ? AND ? AND (?4 IS NULL OR source_id = ?4)
                ORDER BY event_start_us, belief_time_us, cumulative_probability
                """),
            arguments: [sensorID, firstEvent, lastEvent, sourceID]
        ).map { row in
            Belief(
                sensorID: sensorID, eventStart: Instant(microsecondsSinceEpoch: row[0]),
                beliefTime: Instant(microsecondsSinceEpoch: row[1]), sourceID: row[2],
                cumulativeProbability: row[3], value: row[4]
            )
        }
    }
}
