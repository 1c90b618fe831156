import GRDB

/// The belief store's part of the site schema. Sensors and data sources live here because every
/// belief names one of each; the registry gives sensors their meaning (asset, market, weather sensor).
public enum BeliefStoreSchema {
    /// Sensors (one id space for assets, markets and weather sensors) and data sources.
    public static let sensorsAndSources = SchemaMigration("0001_sensors_and_sources") { db in
        try db.execute(sql: """
            CREATE TABLE sensor (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                unit TEXT NOT NULL,
                event_resolution_us INTEGER NOT NULL CHECK (event_resolution_us >= 0),
                timezone TEXT NOT NULL DEFAULT 'UTC'
            );
            CREATE TABLE data_source (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL,
                type TEXT NOT NULL,
                user_id INTEGER UNIQUE
            );
            """)
    }

    /// Every migration of the belief store, in order (tests of this module migrate just these).
    public static let all: [SchemaMigration] = [sensorsAndSources]
}
