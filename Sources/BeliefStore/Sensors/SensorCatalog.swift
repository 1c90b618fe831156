import Beliefs
import GRDB

/// Sensor and data-source rows. Functions take a `Database` so that callers compose them into
/// their own transactions (an asset and its sensor are created together or not at all).
public enum SensorCatalog {
    /// Creates a sensor and returns its id, the next in the shared id space.
    public static func createSensor(
        unit: String, eventResolution: Timespan, timezone: String = "UTC", in db: Database
    ) throws -> SensorID {
        try db.execute(
            sql: "INSERT INTO sensor (unit, event_resolution_us, timezone) VALUES (?, ?, ?)",
            arguments: [unit, eventResolution.microseconds, timezone]
        )
        return db.lastInsertedRowID
    }

    /// Changes a sensor's unit or resolution (the registry keeps them in step with the asset).
    public static func updateSensor(
        id: SensorID, unit: String, eventResolution: Timespan, in db: Database
    ) throws {
        try db.execute(
            sql: "UPDATE sensor SET unit = ?, event_resolution_us = ? WHERE id = ?",
            arguments: [unit, eventResolution.microseconds, id]
        )
    }

    /// The unit and resolution of a sensor, or nil when there is no such sensor.
    public static func sensorShape(id: SensorID, in db: Database) throws -> (unit: String, eventResolution: Timespan)? {
        guard let row = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT unit, event_resolution_us FROM sensor WHERE id = ?"), arguments: [id]
        ) else { return nil }
        return (row["unit"], Timespan(microseconds: row["event_resolution_us"]))
    }

    /// Every sensor's id, ascending.
    public static func sensorIDs(in db: Database) throws -> [SensorID] {
        try SensorID.fetchAll(db, sql: "SELECT id FROM sensor ORDER BY id")
    }

    /// Deletes sensors; rows that hang on them (assets, beliefs) go with them through cascades.
    public static func deleteSensors(ids: [SensorID], in db: Database) throws {
        guard !ids.isEmpty else { return }
        try db.execute(
            sql: "DELETE FROM sensor WHERE id IN (\(databaseQuestionMarks(count: ids.count)))",
            arguments: StatementArguments(ids)
        )
    }

    /// The data source of a user, if it has one yet.
    public static func existingUserSource(userID: Int64, in db: Database) throws -> BeliefSource? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT id, name FROM data_source WHERE user_id = ?"), arguments: [userID]).map {
            BeliefSource(id: $0["id"], name: $0["name"], type: .user, userID: userID)
        }
    }

    /// The data source of a user, created on first use.
    public static func userSource(userID: Int64, name: String, in db: Database) throws -> BeliefSource {
        if let source = try existingUserSource(userID: userID, in: db) { return source }
        try db.execute(
            sql: "INSERT INTO data_source (name, type, user_id) VALUES (?, ?, ?)",
            arguments: [name, SourceType.user.rawValue, userID]
        )
        return BeliefSource(id: db.lastInsertedRowID, name: name, type: .user, userID: userID)
    }

    /// A data source that is not a user (a forecaster, a scheduler, a script), created on first use.
    public static func scriptSource(name: String, type: SourceType, in db: Database) throws -> BeliefSource {
        if let id = try Int64.fetchOne(
            db, sql: "SELECT id FROM data_source WHERE name = ? AND type = ? AND user_id IS NULL",
            arguments: [name, type.rawValue]
        ) {
            return BeliefSource(id: id, name: name, type: type, userID: nil)
        }
        try db.execute(
            sql: "INSERT INTO data_source (name, type) VALUES (?, ?)", arguments: [name, type.rawValue]
        )
        return BeliefSource(id: db.lastInsertedRowID, name: name, type: type, userID: nil)
    }

    /// Every data source, by id.
    public static func sources(in db: Database) throws -> [BeliefSource] {
        try Row.fetchAll(db, sql: "SELECT id, name, type, user_id FROM data_source ORDER BY id").map { row in
            BeliefSource(
                id: row["id"], name: row["name"],
                type: SourceType(rawValue: row["type"]) ?? .script, userID: row["user_id"]
            )
        }
    }

    /// Unlinks a user's data source from the user (their past beliefs keep their source).
    public static func detachUserSource(userID: Int64, in db: Database) throws {
        try db.execute(sql: "UPDATE data_source SET user_id = NULL WHERE user_id = ?", arguments: [userID])
    }
}
