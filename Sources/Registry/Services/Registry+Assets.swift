import BeliefStore
import Beliefs
import GRDB

extension Registry {
    /// Validates and adds an asset with its sensor.
    public func addAsset(_ fields: AssetFields) throws -> Asset {
        try write { db in
            try validate(fields, replacing: nil, in: db)
            let id = try SensorCatalog.createSensor(unit: fields.unit, eventResolution: fields.eventResolution, in: db)
            try db.execute(
                sql: """
                    INSERT INTO asset (id, name, display_name, asset_type_name, capacity_in_mw, min_soc_in_mwh,
                        max_soc_in_mwh, soc_in_mwh, soc_datetime_us, soc_udi_event_id, latitude, longitude, owner_id, market_id,
                        charging_efficiency, discharging_efficiency)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: StatementArguments([id] + Self.columnValues(of: fields))
            )
            return Asset(id: id, fields: fields)
        }
    }

    /// Validates and replaces an asset's fields (a PATCH reads the asset, changes fields, and calls this).
    public func updateAsset(id: SensorID, to fields: AssetFields) throws -> Asset {
        try write { db in
            guard try Self.fetchAsset(db, id: id) != nil else {
                throw RegistryError.notFound(entity: "asset", key: "id \(id)")
            }
            try validate(fields, replacing: id, in: db)
            try SensorCatalog.updateSensor(id: id, unit: fields.unit, eventResolution: fields.eventResolution, in: db)
            try db.execute(
                sql: """
                    UPDATE asset SET name = ?, display_name = ?, asset_type_name = ?, capacity_in_mw = ?,
                        min_soc_in_mwh = ?, max_soc_in_mwh = ?, soc_in_mwh = ?, soc_datetime_us = ?, soc_udi_event_id = ?,
                        latitude = ?, longitude = ?, owner_id = ?, market_id = ?, charging_efficiency = ?, discharging_efficiency = ?
                    WHERE id = ?
                    """,
                arguments: StatementArguments(Self.columnValues(of: fields) + [id])
            )
            return Asset(id: id, fields: fields)
        }
    }

    /// Deletes an asset together with its sensor and beliefs.
    public func deleteAsset(id: SensorID) throws {
        try write { db in try Self.deleteAsset(id: id, in: db) }
    }

    /// `deleteAsset`, in the caller's transaction.
    public static func deleteAsset(id: SensorID, in db: Database) throws {
        guard try fetchAsset(db, id: id) != nil else {
            throw RegistryError.notFound(entity: "asset", key: "id \(id)")
        }
        try SensorCatalog.deleteSensors(ids: [id], in: db)
    }

    public func asset(id: SensorID) throws -> Asset? {
        try read { db in try Self.fetchAsset(db, id: id) }
    }

    public func asset(named name: String) throws -> Asset? {
        try read { db in
            guard let id = try SensorID.fetchOne(db.cachedStatement(sql: "SELECT id FROM asset WHERE name = ?"), arguments: [name]) else {
                return nil
            }
            return try Self.fetchAsset(db, id: id)
        }
    }

    /// Assets by id, all of them or one owner's.
    public func assets(ownerID: Int64? = nil) throws -> [Asset] {
        try read { db in
            try Row.fetchAll(
                db.cachedStatement(sql: "\(Self.assetQuery) WHERE ?1 IS NULL OR asset.owner_id = ?1 ORDER BY asset.id"), arguments: [ownerID]
            ).map(Self.asset(from:))
        }
    }

    private func validate(_ fields: AssetFields, replacing id: SensorID?, in db: Database) throws {
        var rules = FieldRules()
        rules.requireText(fields.name, field: "name")
        rules.requireText(fields.displayName, field: "display_name")
        rules.requireText(fields.unit, field: "unit", maxLength: 32)
        rules.requireNonNegative(fields.capacityInMW, field: "capacity_in_mw")
        rules.requireNonNegative(fields.minSOCInMWh, field: "min_soc_in_mwh")
        rules.requireNonNegative(fields.maxSOCInMWh, field: "max_soc_in_mwh")
        rules.requireFinite(fields.socInMWh, field: "soc_in_mwh")
        if let minimum = fields.minSOCInMWh, let maximum = fields.maxSOCInMWh, minimum > maximum {
            rules.fail("min_soc_in_mwh", "must not exceed max_soc_in_mwh (\(minimum) > \(maximum))")
        }
        rules.requireEfficiency(fields.chargingEfficiency, field: "charging_efficiency")
        rules.requireEfficiency(fields.dischargingEfficiency, field: "discharging_efficiency")
        if !AssetType.storageTypeNames.contains(fields.assetTypeName) {
            // Only what stores energy has losses the scheduler uses: a value here would be shown and never used.
            for (value, field) in [(fields.chargingEfficiency, "charging_efficiency"), (fields.dischargingEfficiency, "discharging_efficiency")] where value != 1 {
                rules.fail(field, "is \(value), but a \(fields.assetTypeName) stores no energy: efficiencies are for batteries and charge points (leave it at 1)")
            }
        }
        rules.requirePositiveResolution(fields.eventResolution)
        rules.requireLatitude(fields.latitude)
        rules.requireLongitude(fields.longitude)

        if let other = try SensorID.fetchOne(db.cachedStatement(sql: "SELECT id FROM asset WHERE name = ?"), arguments: [fields.name]),
           other != id {
            rules.fail("name", "an asset named '\(fields.name)' already exists (id \(other))")
        }
        if try !exists(db, "asset_type", name: fields.assetTypeName) {
            try failUnknownType(db, "asset_type", name: fields.assetTypeName, field: "asset_type", what: "asset type", into: &rules)
        }
        if let owner = try Self.fetchUser(db, where: "id = ?", fields.ownerID) {
            if !owner.has(.prosumer) {
                rules.fail("owner", "user \(owner.id) (\(owner.username)) does not have the Prosumer role needed to own assets")
            }
        } else {
            rules.fail("owner", "no user with id \(fields.ownerID)")
        }
        if let marketID = fields.marketID,
           try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM market WHERE id = ?)"), arguments: [marketID]) != true {
            rules.fail("market", "no market with id \(marketID)")
        }
        try rules.check()
    }

    private static func columnValues(of fields: AssetFields) -> [(any DatabaseValueConvertible)?] {
        [
            fields.name, fields.displayName, fields.assetTypeName, fields.capacityInMW, fields.minSOCInMWh,
            fields.maxSOCInMWh, fields.socInMWh, fields.socDatetime?.microsecondsSinceEpoch, fields.socUDIEventID,
            fields.latitude, fields.longitude, fields.ownerID, fields.marketID,
            fields.chargingEfficiency, fields.dischargingEfficiency,
        ]
    }

    /// An asset's columns with its sensor's unit and resolution.
    private static let assetQuery = "SELECT asset.*, sensor.unit, sensor.event_resolution_us FROM asset JOIN sensor ON sensor.id = asset.id"

    static func fetchAsset(_ db: Database, id: SensorID) throws -> Asset? {
        try Row.fetchOne(db.cachedStatement(sql: "\(assetQuery) WHERE asset.id = ?"), arguments: [id]).map(asset(from:))
    }

    private static func asset(from row: Row) -> Asset {
        let fields = AssetFields(
            name: row["name"], displayName: row["display_name"], assetTypeName: row["asset_type_name"],
            unit: row["unit"], capacityInMW: row["capacity_in_mw"], minSOCInMWh: row["min_soc_in_mwh"],
            maxSOCInMWh: row["max_soc_in_mwh"], socInMWh: row["soc_in_mwh"],
            socDatetime: (row["soc_datetime_us"] as Int64?).map(Instant.init(microsecondsSinceEpoch:)),
            socUDIEventID: row["soc_udi_event_id"],
            eventResolution: Timespan(microseconds: row["event_resolution_us"]),
            latitude: row["latitude"], longitude: row["longitude"], ownerID: row["owner_id"], marketID: row["market_id"],
            chargingEfficiency: row["charging_efficiency"], dischargingEfficiency: row["discharging_efficiency"]
        )
        return Asset(id: row["id"], fields: fields)
    }
}
