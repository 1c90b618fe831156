import Beliefs
import GRDB

extension Registry {
    /// The asset types every site needs, as `flexmeasures add structure` provides them.
    public static let standardAssetTypes: [AssetType] = [
        AssetType(name: "solar", displayName: "solar panel", isConsumer: false, isProducer: true, canCurtail: true, canShift: false),
        AssetType(name: "wind", displayName: "wind turbine", isConsumer: false, isProducer: true, canCurtail: true, canShift: false),
        AssetType(name: "battery", displayName: "stationary battery", isConsumer: true, isProducer: true, canCurtail: true, canShift: true),
        AssetType(name: "one-way_evse", displayName: "one-way EV charging station", isConsumer: true, isProducer: false, canCurtail: true, canShift: true),
        AssetType(name: "two-way_evse", displayName: "two-way EV charging station", isConsumer: true, isProducer: true, canCurtail: true, canShift: true),
        AssetType(name: "charging_station", displayName: "charging station", isConsumer: true, isProducer: false, canCurtail: true, canShift: true),
        AssetType(name: "building", displayName: "building", isConsumer: true, isProducer: false, canCurtail: true, canShift: true),
    ]

    public static let standardMarketTypes: [MarketType] = [
        MarketType(name: "day_ahead", displayName: "day-ahead market"),
    ]

    public static let standardWeatherSensorTypes: [WeatherSensorType] = [
        WeatherSensorType(name: "temperature", displayName: "ambient temperature", unit: "°C"),
        WeatherSensorType(name: "wind_speed", displayName: "wind speed", unit: "m/s"),
        WeatherSensorType(name: "radiation", displayName: "solar irradiance", unit: "kW/m²"),
    ]

    /// The market `add structure` creates so that assets have prices to follow from the start.
    public static let defaultMarket = NewMarket(
        name: "epex_da", displayName: "EPEX SPOT day-ahead market", marketTypeName: "day_ahead",
        unit: "EUR/MWh", eventResolution: .hours(1)
    )

    /// Adds the standard types and the default market where missing; returns what it added.
    /// Running it again adds nothing.
    @discardableResult
    public func addStructure() throws -> [String] {
        try write { db in
            var added: [String] = []
            for type in Self.standardAssetTypes where try !exists(db, "asset_type", name: type.name) {
                try db.execute(
                    sql: """
                        INSERT INTO asset_type (name, display_name, is_consumer, is_producer, can_curtail, can_shift)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [type.name, type.displayName, type.isConsumer, type.isProducer, type.canCurtail, type.canShift]
                )
                added.append("asset type \(type.name)")
            }
            for type in Self.standardMarketTypes where try !exists(db, "market_type", name: type.name) {
                try db.execute(
                    sql: "INSERT INTO market_type (name, display_name) VALUES (?, ?)",
                    arguments: [type.name, type.displayName]
                )
                added.append("market type \(type.name)")
            }
            for type in Self.standardWeatherSensorTypes where try !exists(db, "weather_sensor_type", name: type.name) {
                try db.execute(
                    sql: "INSERT INTO weather_sensor_type (name, display_name, unit) VALUES (?, ?, ?)",
                    arguments: [type.name, type.displayName, type.unit]
                )
                added.append("weather sensor type \(type.name)")
            }
            if try !exists(db, "market", name: Self.defaultMarket.name) {
                let market = try insertMarket(Self.defaultMarket, in: db)
                added.append("market \(market.name) (id \(market.id))")
            }
            return added
        }
    }

    /// Deletes the site connection, every asset, market, weather sensor, their types, every user and every data source;
    /// the sensors' beliefs go with them. Roles stay: they are part of the schema.
    public func deleteStructure() throws {
        try write { db in
            try db.execute(sql: """
                DELETE FROM site_connection;
                DELETE FROM sensor;
                DELETE FROM asset_type;
                DELETE FROM market_type;
                DELETE FROM weather_sensor_type;
                DELETE FROM user;
                DELETE FROM data_source;
                """)
        }
    }

    /// Every asset type, by name.
    public func assetTypes() throws -> [AssetType] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM asset_type ORDER BY name")).map(AssetType.init(row:))
        }
    }

    /// Every weather sensor type, by name.
    public func weatherSensorTypes() throws -> [WeatherSensorType] {
        try read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT * FROM weather_sensor_type ORDER BY name")).map {
                WeatherSensorType(name: $0["name"], displayName: $0["display_name"], unit: $0["unit"])
            }
        }
    }

    func exists(_ db: Database, _ table: String, name: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM \(table) WHERE name = ?)", arguments: [name]) ?? false
    }

    func names(_ db: Database, _ table: String) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT name FROM \(table) ORDER BY name")
    }

    /// Fails `field` when `name` is not a row of the type table `table`, naming the known types (or saying
    /// that the structure is missing).
    func failUnknownType(_ db: Database, _ table: String, name: String, field: String, what: String, into rules: inout FieldRules) throws {
        let known = try names(db, table)
        rules.fail(field, known.isEmpty
            ? "unknown \(what) '\(name)'; run `flexmeasures add structure` first"
            : "unknown \(what) '\(name)'; known types: \(known.joined(separator: ", "))")
    }
}

extension AssetType {
    init(row: Row) {
        self.init(
            name: row["name"], displayName: row["display_name"], isConsumer: row["is_consumer"],
            isProducer: row["is_producer"], canCurtail: row["can_curtail"], canShift: row["can_shift"]
        )
    }
}
