import Beliefs
import GRDB

extension Registry {
    /// The site's grid connection, nil when none is set (each device is then planned on its own).
    public func gridConnection() throws -> GridConnection? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM site_connection WHERE id = 1")).map { row in
                GridConnection(
                    importCapacityInMW: row["import_capacity_mw"], exportCapacityInMW: row["export_capacity_mw"],
                    inflexibleAssetID: row["inflexible_asset_id"]
                )
            }
        }
    }

    /// Validates and sets (or replaces) the site's grid connection.
    public func setGridConnection(_ connection: GridConnection) throws -> GridConnection {
        try write { db in
            var rules = FieldRules()
            rules.requireCapacity(connection.importCapacityInMW, field: "import_capacity_mw")
            rules.requireCapacity(connection.exportCapacityInMW, field: "export_capacity_mw")
            if let id = connection.inflexibleAssetID {
                if let asset = try Self.fetchAsset(db, id: id) {
                    if AssetType.storageTypeNames.contains(asset.fields.assetTypeName) {
                        rules.fail("inflexible_asset_id", "asset \(id) is a \(asset.fields.assetTypeName), which the scheduler plans: name the meter of the load it cannot move")
                    }
                } else {
                    rules.fail("inflexible_asset_id", "no asset with id \(id)")
                }
            }
            try rules.check()
            try db.execute(
                sql: """
                    INSERT INTO site_connection (id, import_capacity_mw, export_capacity_mw, inflexible_asset_id) VALUES (1, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET import_capacity_mw = excluded.import_capacity_mw,
                        export_capacity_mw = excluded.export_capacity_mw, inflexible_asset_id = excluded.inflexible_asset_id
                    """,
                arguments: [connection.importCapacityInMW, connection.exportCapacityInMW, connection.inflexibleAssetID]
            )
            return connection
        }
    }

    /// Removes the site's grid connection; false when none was set.
    @discardableResult
    public func deleteGridConnection() throws -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM site_connection WHERE id = 1")
            return db.changesCount > 0
        }
    }
}
