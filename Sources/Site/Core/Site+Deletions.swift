import Beliefs
import GRDB
import Registry

extension Site {
    /// Deletes an asset with its sensor, beliefs and the alert rules on it, in one transaction; its told
    /// firing alerts are told resolved first.
    public func deleteAsset(id: SensorID) throws {
        let now = clock()
        try store.database.write { db in
            try Self.resolveAlerts(aboutSensors: [id], note: "The asset was deleted.", now: now, in: db)
            try Registry.deleteAsset(id: id, in: db)
        }
        alertRules.invalidate()
    }

    /// Deletes a user with their assets (as `deleteAsset` does each) and returns the deleted asset ids.
    @discardableResult
    public func deleteUser(id: Int64) throws -> [SensorID] {
        let now = clock()
        let deleted = try store.database.write { db in
            try Self.resolveAlerts(aboutSensors: try Registry.assetIDs(ownedBy: id, in: db), note: "The asset's owner was deleted.", now: now, in: db)
            return try Registry.deleteUser(id: id, in: db)
        }
        alertRules.invalidate()
        return deleted
    }
}
