import GRDB
import SiteDatabase

/// The belief store's part of the site schema. Sensors and data sources live here because every
/// belief names one of each; the registry gives sensors their meaning (asset, market, weather sensor).
public enum BeliefStoreSchema {
    /// Sensors (one id space for assets, markets and weather sensors) and data sources.
    public static let sensorsAndSources = SchemaMigration.creatingTables(
        "0001_sensors_and_sources",
        summary: "Sensors (one id space for assets, markets and weather sensors) and data sources.",
        tables: ["sensor", "data_source"]
    ) { db in
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

    /// Beliefs: sealed columnar segments (one row per segment of one sensor and source, bounds in indexed
    /// columns, the columns in a checksummed BLOB, see `SegmentCodec`) and the uncompressed tail where
    /// small appends land until they are sealed. Both go with their sensor.
    public static let beliefSegments = SchemaMigration.creatingTables(
        "0003_belief_segments",
        summary: "Beliefs: sealed, compressed segments per sensor and source, and the tail where new beliefs land.",
        tables: ["belief_segment", "belief_tail"]
    ) { db in
        try db.execute(sql: """
            CREATE TABLE belief_segment (
                id INTEGER PRIMARY KEY,
                sensor_id INTEGER NOT NULL REFERENCES sensor(id) ON DELETE CASCADE,
                source_id INTEGER NOT NULL REFERENCES data_source(id),
                first_event_start_us INTEGER NOT NULL,
                last_event_start_us INTEGER NOT NULL,
                min_belief_time_us INTEGER NOT NULL,
                max_belief_time_us INTEGER NOT NULL,
                belief_count INTEGER NOT NULL CHECK (belief_count > 0),
                data BLOB NOT NULL
            );
            CREATE INDEX belief_segment_by_window ON belief_segment(sensor_id, last_event_start_us);
            CREATE TABLE belief_tail (
                sensor_id INTEGER NOT NULL REFERENCES sensor(id) ON DELETE CASCADE,
                event_start_us INTEGER NOT NULL,
                belief_time_us INTEGER NOT NULL,
                source_id INTEGER NOT NULL REFERENCES data_source(id),
                cumulative_probability REAL NOT NULL,
                value REAL NOT NULL,
                PRIMARY KEY (sensor_id, event_start_us, belief_time_us, source_id, cumulative_probability)
            ) WITHOUT ROWID;
            """)
    }

    /// Every migration of the belief store, in order (tests of this module migrate just these).
    public static let all: [SchemaMigration] = [sensorsAndSources, beliefSegments, BeliefJournalSchema.migration]
}
