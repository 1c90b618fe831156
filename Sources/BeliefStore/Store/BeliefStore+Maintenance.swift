import Beliefs
import GRDB

extension BeliefStore {
    /// What a round of maintenance did.
    public struct MaintenanceReport: Hashable, Sendable {
        public var sealedBeliefs = 0
        public var segmentsMerged = 0
        public var segmentsWritten = 0

        static func + (a: MaintenanceReport, b: MaintenanceReport) -> MaintenanceReport {
            MaintenanceReport(
                sealedBeliefs: a.sealedBeliefs + b.sealedBeliefs, segmentsMerged: a.segmentsMerged + b.segmentsMerged,
                segmentsWritten: a.segmentsWritten + b.segmentsWritten
            )
        }
    }

    /// Moves the tail of every sensor and source with at least `minimumRows` tail beliefs into segments,
    /// merged with that pair's last segment when it is small. One transaction per pair: a crash leaves
    /// each pair either sealed or still in the tail, and readers see one or the other, never both.
    @discardableResult
    public func sealTails(minimumRows: Int? = nil) throws -> MaintenanceReport {
        let threshold = max(1, minimumRows ?? configuration.sealThreshold)
        return try forEachPair(
            "SELECT sensor_id, source_id FROM belief_tail GROUP BY sensor_id, source_id HAVING COUNT(*) >= ?", [threshold]
        ) { sensorID, sourceID, db in
            try Self.seal(sensorID: sensorID, sourceID: sourceID, configuration: configuration, in: db)
        }
    }

    /// Merges runs of neighbouring small segments of each sensor and source into full ones, one
    /// transaction per pair.
    @discardableResult
    public func compact() throws -> MaintenanceReport {
        let small = configuration.maximumSegmentBeliefs / 2
        return try forEachPair(
            """
            SELECT sensor_id, source_id FROM belief_segment WHERE belief_count < ?
            GROUP BY sensor_id, source_id HAVING COUNT(*) >= 2
            """,
            [small]
        ) { sensorID, sourceID, db in
            try Self.compact(sensorID: sensorID, sourceID: sourceID, configuration: configuration, in: db)
        }
    }

    /// Runs `work` in a write transaction of its own for every (sensor, source) the query finds, and
    /// adds up what it did: one pair at a time, so that the writer is never held for long.
    private func forEachPair(
        _ sql: String, _ arguments: StatementArguments,
        _ work: (SensorID, SourceID, Database) throws -> MaintenanceReport
    ) throws -> MaintenanceReport {
        let pairs = try database.pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { (sensorID: $0[0] as SensorID, sourceID: $0[1] as SourceID) }
        }
        var total = MaintenanceReport()
        for pair in pairs {
            total = total + (try database.write { db in try work(pair.sensorID, pair.sourceID, db) })
        }
        return total
    }

    /// Seals what is due, then compacts: what the daemon runs in the background.
    @discardableResult
    public func maintain() throws -> MaintenanceReport {
        try sealTails() + compact()
    }

    private static func seal(
        sensorID: SensorID, sourceID: SourceID, configuration: Configuration, in db: Database
    ) throws -> MaintenanceReport {
        let tail = try SegmentTable.tail(sensorID: sensorID, firstEvent: .min, lastEvent: .max, sourceID: sourceID, in: db)
        guard !tail.isEmpty else { return MaintenanceReport() }
        var run = BeliefRun(sorting: tail)
        var report = MaintenanceReport(sealedBeliefs: tail.count)

        // The pair's latest segment, when small, takes the tail in: a reading every 15 minutes then fills
        // one segment over weeks instead of leaving a small segment per seal.
        if let segment = try SegmentTable.latestSmallSegment(
            sensorID: sensorID, sourceID: sourceID, below: configuration.maximumSegmentBeliefs, in: db
        ) {
            run = BeliefRun.merge(segment.run, run)
            try SegmentTable.delete(segmentIDs: [segment.id], in: db)
            report.segmentsMerged = 1
        }
        report.segmentsWritten = try SegmentTable.insertChunked(
            run, maximum: configuration.maximumSegmentBeliefs, sensorID: sensorID, sourceID: sourceID, in: db
        )
        try db.execute(sql: "DELETE FROM belief_tail WHERE sensor_id = ? AND source_id = ?", arguments: [sensorID, sourceID])
        return report
    }

    private static func compact(
        sensorID: SensorID, sourceID: SourceID, configuration: Configuration, in db: Database
    ) throws -> MaintenanceReport {
        // Groups are planned from the sizes alone; only the segments of a group worth merging are decoded.
        let maximum = configuration.maximumSegmentBeliefs
        var groups: [[Int64]] = []
        var group: [Int64] = []
        var groupBeliefs = 0
        func close() {
            if group.count >= 2 { groups.append(group) }
            group = []
            groupBeliefs = 0
        }
        for segment in try SegmentTable.segmentSizes(sensorID: sensorID, sourceID: sourceID, in: db) {
            if segment.count >= maximum / 2 {
                close()
            } else {
                if groupBeliefs + segment.count > maximum { close() }
                group.append(segment.id)
                groupBeliefs += segment.count
            }
        }
        close()

        var report = MaintenanceReport()
        for ids in groups {
            let segments = try SegmentTable.segments(ids: ids, in: db)
            let merged = segments.dropFirst().reduce(segments[0].run) { BeliefRun.merge($0, $1.run) }
            try SegmentTable.delete(segmentIDs: ids, in: db)
            try SegmentTable.insert(merged, sensorID: sensorID, sourceID: sourceID, in: db)
            report.segmentsMerged += ids.count
            report.segmentsWritten += 1
        }
        return report
    }
}
