import GRDB
import SiteDatabase

/// The belief journal (issue 16): the site's beliefs as a stream, in the order they were stored, for the
/// fleet uplink to forward. Segments cannot be that stream: sealing, compaction and deletes rewrite them.
///
/// A journal entry is one appended run of one sensor and source (the segment codec's columns, so an entry
/// costs what a segment costs) or one deletion, numbered by `sequence`, which never goes back
/// (AUTOINCREMENT: a forwarded entry's number is never handed out again). The journal is written only
/// while `belief_journal_stream` holds its row, i.e. while an uplink is configured: a site without one
/// pays nothing. The stream's row keeps the receiver's position (the last sequence it holds for good) and
/// how its last attempt went; entries up to the position are dropped. Deleting a sensor (an asset, market or weather sensor going) is journalled by a trigger,
/// whichever process deletes it.
public enum BeliefJournalSchema {
    public static let migration = {
        let tables = SchemaMigration.creatingTables(
            "0011_belief_journal",
            summary: "The belief journal: appended runs and deletions in storage order, for the fleet uplink.",
            tables: ["belief_journal_stream", "belief_journal"],
            apply: create
        )
        // The trigger lives on `sensor`, which stays: it goes first, or it would outlive the tables it names.
        return SchemaMigration(
            tables.identifier, summary: tables.summary, apply: tables.apply,
            revert: { db in
                try db.execute(sql: "DROP TRIGGER IF EXISTS belief_journal_sensor_deleted")
                try tables.revert(db)
            },
            losses: tables.losses
        )
    }()

    private static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE belief_journal_stream (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                stream_id TEXT NOT NULL,
                started_us INTEGER NOT NULL,
                forwarded_through INTEGER NOT NULL DEFAULT 0,
                forwarded_beliefs INTEGER NOT NULL DEFAULT 0,
                last_forwarded_us INTEGER,
                last_attempt_us INTEGER,
                last_error TEXT
            );
            CREATE TABLE belief_journal (
                sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                change TEXT NOT NULL CHECK (change IN (
                    'append', 'delete_measurements', 'delete_prognoses', 'delete_sensor', 'delete_all'
                )),
                sensor_id INTEGER,
                source_id INTEGER,
                belief_count INTEGER NOT NULL DEFAULT 0 CHECK (belief_count >= 0),
                data BLOB,
                recorded_us INTEGER NOT NULL,
                CHECK ((change = 'append') = (data IS NOT NULL AND sensor_id IS NOT NULL AND source_id IS NOT NULL))
            );
            CREATE TRIGGER belief_journal_sensor_deleted AFTER DELETE ON sensor
            WHEN EXISTS (SELECT 1 FROM belief_journal_stream)
            BEGIN
                INSERT INTO belief_journal (change, sensor_id, recorded_us)
                VALUES ('delete_sensor', OLD.id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER));
            END;
            """)
    }
}
