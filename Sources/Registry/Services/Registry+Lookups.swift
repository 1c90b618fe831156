import BeliefStore
import Beliefs
import GRDB

extension Registry {
    /// The weather sensor of a type at exactly this location, if any.
    public func weatherSensor(type: String, latitude: Double, longitude: Double) throws -> WeatherSensor? {
        try read { db in
            try Self.fetchWeatherSensors(
                db, where: "weather_sensor_type_name = ? AND latitude = ? AND longitude = ?", [type, latitude, longitude]
            ).first
        }
    }

    /// The nearest weather sensor of a type (for hints in error messages), by squared degrees.
    public func nearestWeatherSensor(type: String, latitude: Double, longitude: Double) throws -> WeatherSensor? {
        try read { db in
            try Self.fetchWeatherSensors(
                db, where: "weather_sensor_type_name = ?", [type, latitude, latitude, longitude, longitude],
                orderBy: "(latitude - ?) * (latitude - ?) + (longitude - ?) * (longitude - ?)", limit: 1
            ).first
        }
    }

    /// The type of a weather sensor type name, if it exists.
    public func weatherSensorType(named name: String) throws -> WeatherSensorType? {
        try read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM weather_sensor_type WHERE name = ?"), arguments: [name]).map {
                WeatherSensorType(name: $0["name"], displayName: $0["display_name"], unit: $0["unit"])
            }
        }
    }

    /// The data source of a user's beliefs (created on first use).
    public func dataSource(ofUser user: User) throws -> BeliefSource {
        if let source = try read({ db in try SensorCatalog.existingUserSource(userID: user.id, in: db) }) {
            return source
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

    /// Every weather sensor, by id.
    public func weatherSensors() throws -> [WeatherSensor] {
        try read { db in try Self.fetchWeatherSensors(db, where: "1") }
    }
}
