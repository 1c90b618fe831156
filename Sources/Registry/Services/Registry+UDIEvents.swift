import Beliefs
import GRDB

extension Registry {
    /// Records a UDI event and sets the asset's state of charge from it, inside the caller's transaction
    /// (so that the event, the asset and the job it queues commit together).
    /// Points a UDI event at a newer scheduling job that planned its device too (a site's joint plan),
    /// unless a job newer still already holds it; in the caller's transaction.
    public static func adoptSchedulingJob(_ jobID: Int64, forEventOf assetID: SensorID, eventID: Int64, in db: Database) throws {
        try db.execute(
            sql: "UPDATE udi_event SET job_id = ? WHERE asset_id = ? AND event_id = ? AND (job_id IS NULL OR job_id < ?)",
            arguments: [jobID, assetID, eventID, jobID]
        )
    }

    public static func record(_ event: UDIEvent, createdAt: Instant, in db: Database) throws {
        let targets = event.targets.map { "\($0.datetime.microsecondsSinceEpoch):\($0.socInMWh.bitPattern)" }.joined(separator: ",")
        try db.execute(
            sql: """
                INSERT INTO udi_event (asset_id, event_id, event_type, datetime_us, soc_in_mwh, targets, job_id, created_at_us)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                event.assetID, event.eventID, event.kind.rawValue, event.datetime.microsecondsSinceEpoch, event.socInMWh,
                targets, event.jobID, createdAt.microsecondsSinceEpoch,
            ]
        )
        try db.execute(
            sql: "UPDATE asset SET soc_in_mwh = ?, soc_datetime_us = ?, soc_udi_event_id = ? WHERE id = ?",
            arguments: [event.socInMWh, event.datetime.microsecondsSinceEpoch, event.eventID, event.assetID]
        )
    }

    /// A recorded UDI event of an asset.
    public func udiEvent(assetID: SensorID, eventID: Int64) throws -> UDIEvent? {
        try read { db in
            guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM udi_event WHERE asset_id = ? AND event_id = ?"), arguments: [assetID, eventID]
            ) else { return nil }
            let targets = (row["targets"] as String).split(separator: ",").compactMap { item -> UDIEvent.Target? in
                let parts = item.split(separator: ":")
                guard parts.count == 2, let time = Int64(parts[0]), let bits = UInt64(parts[1]) else { return nil }
                return UDIEvent.Target(datetime: Instant(microsecondsSinceEpoch: time), socInMWh: Double(bitPattern: bits))
            }
            return UDIEvent(
                assetID: assetID, eventID: eventID, kind: UDIEvent.Kind(rawValue: row["event_type"]) ?? .soc,
                datetime: Instant(microsecondsSinceEpoch: row["datetime_us"]), socInMWh: row["soc_in_mwh"],
                targets: targets, jobID: row["job_id"]
            )
        }
    }
}
