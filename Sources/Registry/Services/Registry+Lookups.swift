import BeliefStore
import Beliefs
import GRDB

extension Registry {
    /// The weather sensor of a type at exactly this location, if any.
    public func weatherSensor(type: String, latitude: Double, longitude: Double) throws -> WeatherSensor? {
        let id = try read { db in
            try SensorID.fetchOne(db.cachedStatement(sql: "SELECT id FROM weather_sensor WHERE weather_sensor_type_name = ? AND latitude = ? AND longitude = ?"),
                arguments: [type, latitude, longitude]
            )
        }
        return try id.flatMap { try weatherSensor(id: $0) }
    }

    /// The nearest weather sensor of a type (for hints in error messages), by squared degrees.
    public func nearestWeatherSensor(type: String, latitude: Double, longitude: Double) throws -> WeatherSensor? {
        let id = try read { db in
            try SensorID.fetchOne(
                db,
                sql: """
                    SELECT id FROM weather_sensor WHERE weather_sensor_type_name = ?
                    ORDER BY (latitude - ?) * (latitude - ?) + (longitude - ?) * (longitude - ?) LIMIT 1
                    """,
                arguments: [type, latitude, latitude, longitude, longitude]
            )
        }
        return try id.flatMap { try weatherSensor(id: $0) }
    }

    /// The type of a weather sensor type name, if it exists.
    public func weatherSensorType(named name: String) throws -> WeatherSensorType? {
        try weatherSensorTypes().first { $0.name == name }
    }

    /// The data source of a user's beliefs (created on first use).
    public func dataSource(ofUser user: User) throws -> BeliefSource {
        if let source = try read({ db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT id, name FROM data_source WHERE user_id = ?"), arguments: [user.id])
        }) {
            return BeliefSource(id: source["id"], name: source["name"], type: .user, userID: user.id)
        }
        return try write { db in try SensorCatalog.userSource(userID: user.id, name: user.username, in: db) }
    }

    /// The ids of active users with a role.
    public func userIDs(withRole role: Role) throws -> [Int64] {
        try read { db in
            try Int64.fetchAll(
                db,
                sql: """
                    SELECT user_id FROM user_role JOIN role ON role.id = user_role.role_id
                    JOIN user ON user.id = user_role.user_id WHERE role.name = ? ORDER BY user_id
                    """,
                arguments: [role.rawValue]
            )
        }
    }

    /// Every data source, by id.
    public func dataSources() throws -> [BeliefSource] {
        try read { db in try SensorCatalog.sources(in: db) }
    }

    /// Every market, by id.
    public func markets() throws -> [Market] {
        try read { db in
            try SensorID.fetchAll(db.cachedStatement(sql: "SELECT id FROM market ORDER BY id")).compactMap {
                try Self.fetchMarket(db, where: "market.id = ?", $0)
            }
        }
    }

    /// Every weather sensor, by id.
    public func weatherSensors() throws -> [WeatherSensor] {
        let ids = try read { db in try SensorID.fetchAll(db.cachedStatement(sql: "SELECT id FROM weather_sensor ORDER BY id")) }
        return try ids.compactMap { try weatherSensor(id: $0) }
    }
}
