import Beliefs
import GRDB

extension BeliefStore {
    /// Which beliefs a delete removes, by their horizon (event end minus belief time).
    public enum BeliefKind: Sendable {
        /// Beliefs formed at or after the event's end (horizon <= 0).
        case measurements
        /// Forecasts and schedules (horizon > 0).
        case prognoses

        func includes(horizon: Timespan) -> Bool {
            switch self {
            case .measurements: horizon <= .zero
            case .prognoses: horizon > .zero
            }
        }
    }

    /// Deletes measurements or prognoses of the given sensors (every sensor when nil), in one
    /// transaction; segments holding both kinds are rewritten with what remains. Returns how many went.
    @discardableResult
    public func deleteBeliefs(_ kind: BeliefKind, sensorIDs: [SensorID]? = nil) throws -> Int {
        try database.write { db in
            let sensors = try sensorIDs ?? SensorID.fetchAll(db, sql: "SELECT id FROM sensor ORDER BY id")
            if try Self.journalRuns(in: db) {
                let now = Instant.now()
                if let sensorIDs {
                    for sensorID in sensorIDs { try Self.journal(.delete(kind, sensorID: sensorID), now: now, in: db) }
                } else {
                    try Self.journal(.delete(kind, sensorID: nil), now: now, in: db)
                }
            }
            var deleted = 0
            for sensorID in sensors {
                let resolution = try Self.resolution(of: sensorID, in: db).microseconds
                let segments = try SegmentTable.segments(sensorID: sensorID, firstEvent: .min, lastEvent: .max, in: db)
                for segment in segments {
                    let columns = segment.run.columns
                    let kept = segment.run.filter { index in
                        let horizon = Timespan(microseconds: columns.eventStarts[index] + resolution - columns.beliefTimes[index])
                        return !kind.includes(horizon: horizon)
                    }
                    guard kept.count < segment.count else { continue }
                    deleted += segment.count - kept.count
                    try SegmentTable.delete(segmentIDs: [segment.id], in: db)
                    if kept.count > 0 {
                        try SegmentTable.insert(kept, sensorID: sensorID, sourceID: segment.sourceID, in: db)
                    }
                }
                let comparison = kind == .measurements ? "<=" : ">"
                try db.execute(
                    sql: "DELETE FROM belief_tail WHERE sensor_id = ? AND event_start_us + ? - belief_time_us \(comparison) 0",
                    arguments: [sensorID, resolution]
                )
                deleted += db.changesCount
            }
            return deleted
        }
    }

    /// Deletes every belief of every sensor inside the caller's transaction; returns how many went.
    @discardableResult
    public func deleteAllBeliefs(in db: Database) throws -> Int {
        let stored = try Self.statistics(in: db)
        if try Self.journalRuns(in: db) { try Self.journal(.deleteAll, now: .now(), in: db) }
        try db.execute(sql: "DELETE FROM belief_segment; DELETE FROM belief_tail;")
        return stored.beliefs
    }
}
