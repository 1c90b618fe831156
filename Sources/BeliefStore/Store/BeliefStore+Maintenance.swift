import Beliefs
import GRDB

extension BeliefStore {
    /// What a round of maintenance did.
    public struct MaintenanceReport: Hashable, Sendable {
        public var sealedBeliefs = 0
        public var segmentsMerged = 0
        public var segmentsWritten = 0
    }

    /// Moves the tail of every sensor and source with at least `minimumRows` tail beliefs into segments,
    /// merged with that pair's last segment when it is small. One transaction per pair: a crash leaves
    /// each pair either sealed or still in the tail, and readers see one or the other, never both.
    @discardableResult
    public func sealTails(minimumRows: Int? = nil) throws -> MaintenanceReport {
        let threshold = max(1, minimumRows ?? configuration.sealThreshold)
        let pairs = try database.pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT sensor_id, source_id FROM belief_tail GROUP BY sensor_id, source_id HAVING COUNT(*) >= ?",
                arguments: [threshold]
            ).map { (sensorID: $0[0] as SensorID, sourceID: $0[1] as SourceID) }
        }
        var report = MaintenanceReport()
        for pair in pairs {
            let sealed = try database.pool.write { db in
                try Self.seal(sensorID: pair.sensorID, sourceID: pair.sourceID, configuration: configuration, in: db)
            }
            report.sealedBeliefs += sealed.sealedBeliefs
            report.segmentsMerged += sealed.segmentsMerged
            report.segmentsWritten += sealed.segmentsWritten
        }
        return report
    }

    /// Merges runs of neighbouring small segments of each sensor and source into full ones, one
    /// transaction per pair.
    @discardableResult
    public func compact() throws -> MaintenanceReport {
        let small = configuration.maximumSegmentBeliefs / 2
        let pairs = try database.pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT sensor_id, source_id FROM belief_segment WHERE belief_count < ?
                    GROUP BY sensor_id, source_id HAVING COUNT(*) >= 2
                    """,
                arguments: [small]
            ).map { (sensorID: $0[0] as SensorID, sourceID: $0[1] as SourceID) }
        }
        var report = MaintenanceReport()
        for pair in pairs {
            let merged = try database.pool.write { db in
                try Self.compact(sensorID: pair.sensorID, sourceID: pair.sourceID, configuration: configuration, in: db)
            }
            report.segmentsMerged += merged.segmentsMerged
            report.segmentsWritten += merged.segmentsWritten
        }
        return report
    }

    /// Seals what is due, then compacts: what the daemon runs in the background.
    @discardableResult
    public func maintain() throws -> MaintenanceReport {
        var report = try sealTails()
        let compacted = try compact()
        report.segmentsMerged += compacted.segmentsMerged
        report.segmentsWritten += compacted.segmentsWritten
        return report
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
        let latest = try Row.fetchOne(
            db,
            sql: """
                SELECT id FROM belief_segment WHERE sensor_id = ? AND source_id = ? AND belief_count < ?
                ORDER BY last_event_start_us DESC, id DESC LIMIT 1
                """,
            arguments: [sensorID, sourceID, configuration.maximumSegmentBeliefs]
        ).map { $0[0] as Int64 }
        if let latest, let segment = try SegmentTable.segments(sensorID: sensorID, sourceID: sourceID, in: db).first(where: { $0.id == latest }) {
            run = BeliefRun.merge(segment.run, run)
            try SegmentTable.delete(segmentIDs: [latest], in: db)
            report.segmentsMerged = 1
        }
        let chunks = run.chunks(maximum: configuration.maximumSegmentBeliefs)
        for chunk in chunks {
            try SegmentTable.insert(chunk, sensorID: sensorID, sourceID: sourceID, in: db)
        }
        report.segmentsWritten = chunks.count
        try db.execute(sql: "DELETE FROM belief_tail WHERE sensor_id = ? AND source_id = ?", arguments: [sensorID, sourceID])
        return report
    }

    private static func compact(
        sensorID: SensorID, sourceID: SourceID, configuration: Configuration, in db: Database
    ) throws -> MaintenanceReport {
        let maximum = configuration.maximumSegmentBeliefs
        let segments = try SegmentTable.segments(sensorID: sensorID, sourceID: sourceID, in: db)
        var report = MaintenanceReport()
        var group: [SegmentTable.SegmentRow] = []

        func flush() throws {
            defer { group = [] }
            guard group.count >= 2 else { return }
            let merged = group.dropFirst().reduce(group[0].run) { BeliefRun.merge($0, $1.run) }
            try SegmentTable.delete(segmentIDs: group.map(\.id), in: db)
            try SegmentTable.insert(merged, sensorID: sensorID, sourceID: sourceID, in: db)
            report.segmentsMerged += group.count
            report.segmentsWritten += 1
        }

        for segment in segments {
            if segment.count >= maximum / 2 {
                try flush()
            } else {
                if group.reduce(0, { $0 + $1.count }) + segment.count > maximum { try flush() }
                group.append(segment)
            }
        }
        try flush()
        return report
    }
}
