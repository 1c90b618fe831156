import BeliefStore
import Beliefs
import GRDB

extension Registry {
    /// Validates and adds a market with its sensor.
    public func addMarket(_ new: NewMarket) throws -> Market {
        try write { db in try insertMarket(new, in: db) }
    }

    public func market(id: SensorID) throws -> Market? {
        try read { db in try Self.fetchMarket(db, where: "market.id = ?", id) }
    }

    /// Every market, by id.
    public func markets() throws -> [Market] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT market.*, sensor.unit, sensor.event_resolution_us FROM market JOIN sensor ON sensor.id = market.id ORDER BY market.id"
            ).map { row in
                Market(
                    id: row["id"], name: row["name"], displayName: row["display_name"], marketTypeName: row["market_type_name"],
                    unit: row["unit"], eventResolution: Timespan(microseconds: row["event_resolution_us"])
                )
            }
        }
    }

    public func market(named name: String) throws -> Market? {
        try read { db in try Self.fetchMarket(db, where: "market.name = ?", name) }
    }

    /// Validates and adds a weather sensor; one of each type per location.
    public func addWeatherSensor(_ new: NewWeatherSensor) throws -> WeatherSensor {
        try write { db in
            var rules = FieldRules()
            rules.requireText(new.name, field: "name")
            rules.requireText(new.displayName, field: "display_name")
            rules.requirePositiveResolution(new.eventResolution)
            rules.requireLatitude(new.latitude)
            rules.requireLongitude(new.longitude)
            if let unit = new.unit { rules.requireText(unit, field: "unit", maxLength: 32) }
            if let other = try SensorID.fetchOne(db.cachedStatement(sql: "SELECT id FROM weather_sensor WHERE name = ?"), arguments: [new.name]) {
                rules.fail("name", "a weather sensor named '\(new.name)' already exists (id \(other))")
            }
            let typeUnit = try String.fetchOne(db.cachedStatement(sql: "SELECT unit FROM weather_sensor_type WHERE name = ?"), arguments: [new.weatherSensorTypeName]
            )
            if typeUnit == nil {
                try failUnknownType(
                    db, "weather_sensor_type", name: new.weatherSensorTypeName, field: "weather_sensor_type", what: "weather sensor type",
                    into: &rules
                )
            }
            if let other = try SensorID.fetchOne(db.cachedStatement(sql: "SELECT id FROM weather_sensor WHERE weather_sensor_type_name = ? AND latitude = ? AND longitude = ?"),
                arguments: [new.weatherSensorTypeName, new.latitude, new.longitude]
            ) {
                rules.fail("location", "a \(new.weatherSensorTypeName) sensor already exists at \(new.latitude), \(new.longitude) (id \(other))")
            }
            try rules.check()

            let unit = new.unit ?? typeUnit ?? ""
            let id = try SensorCatalog.createSensor(unit: unit, eventResolution: new.eventResolution, in: db)
            try db.execute(
                sql: """
                    INSERT INTO weather_sensor (id, name, display_name, weather_sensor_type_name, latitude, longitude)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, new.name, new.displayName, new.weatherSensorTypeName, new.latitude, new.longitude]
            )
            return WeatherSensor(
                id: id, name: new.name, displayName: new.displayName, weatherSensorTypeName: new.weatherSensorTypeName,
                unit: unit, eventResolution: new.eventResolution, latitude: new.latitude, longitude: new.longitude
            )
        }
    }

    public func weatherSensor(id: SensorID) throws -> WeatherSensor? {
        try read { db in try Self.fetchWeatherSensors(db, where: "weather_sensor.id = ?", [id]).first }
    }

    /// Weather sensors with their sensor's unit and resolution, by id, where `condition` holds (one query).
    static func fetchWeatherSensors(
        _ db: Database, where condition: String, _ arguments: StatementArguments = [], orderBy order: String = "weather_sensor.id",
        limit: Int? = nil
    ) throws -> [WeatherSensor] {
        let sql = """
            SELECT weather_sensor.*, sensor.unit, sensor.event_resolution_us FROM weather_sensor
            JOIN sensor ON sensor.id = weather_sensor.id WHERE \(condition) ORDER BY \(order)\(limit.map { " LIMIT \($0)" } ?? "")
            """
        return try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { row in
            WeatherSensor(
                id: row["id"], name: row["name"], displayName: row["display_name"],
                weatherSensorTypeName: row["weather_sensor_type_name"], unit: row["unit"],
                eventResolution: Timespan(microseconds: row["event_resolution_us"]),
                latitude: row["latitude"], longitude: row["longitude"]
            )
        }
    }

    func insertMarket(_ new: NewMarket, in db: Database) throws -> Market {
        var rules = FieldRules()
        rules.requireText(new.name, field: "name")
        rules.requireText(new.displayName, field: "display_name")
        rules.requireText(new.unit, field: "unit", maxLength: 32)
        rules.requirePositiveResolution(new.eventResolution)
        if let other = try SensorID.fetchOne(db.cachedStatement(sql: "SELECT id FROM market WHERE name = ?"), arguments: [new.name]) {
            rules.fail("name", "a market named '\(new.name)' already exists (id \(other))")
        }
        if try !exists(db, "market_type", name: new.marketTypeName) {
            try failUnknownType(db, "market_type", name: new.marketTypeName, field: "market_type", what: "market type", into: &rules)
        }
        try rules.check()

        let id = try SensorCatalog.createSensor(unit: new.unit, eventResolution: new.eventResolution, in: db)
        try db.execute(
            sql: "INSERT INTO market (id, name, display_name, market_type_name) VALUES (?, ?, ?, ?)",
            arguments: [id, new.name, new.displayName, new.marketTypeName]
        )
        return Market(
            id: id, name: new.name, displayName: new.displayName, marketTypeName: new.marketTypeName,
            unit: new.unit, eventResolution: new.eventResolution
        )
    }

    static func fetchMarket(_ db: Database, where condition: String, _ key: any DatabaseValueConvertible) throws -> Market? {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT market.*, sensor.unit, sensor.event_resolution_us FROM market JOIN sensor ON sensor.id = market.id WHERE \(condition)"),
            arguments: [key]
        ) else { return nil }
        return Market(
            id: row["id"], name: row["name"], displayName: row["display_name"], marketTypeName: row["market_type_name"],
            unit: row["unit"], eventResolution: Timespan(microseconds: row["event_resolution_us"])
        )
    }
}
