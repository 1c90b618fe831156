import API
import BeliefStore
import Foundation
import GRDB
import Testing
import TestSupport
import Site
import SiteDatabase

/// Every migration's down step, on a database with data: upgrade, downgrade to just before the migration,
/// upgrade again, and compare the file with what it was.
@Suite struct MigrationRoundTripTests {
    /// Rows for the tables each migration creates, referring only to rows of earlier migrations. A new
    /// migration needs its entry here (the tests below fail without one).
    static let data: [String: String] = [
        "0001_sensors_and_sources": """
            INSERT INTO sensor (id, unit, event_resolution_us, timezone) VALUES
                (1, 'MW', 900000000, 'UTC'), (2, 'EUR/MWh', 3600000000, 'UTC'), (3, '°C', 900000000, 'Europe/Amsterdam');
            INSERT INTO data_source (id, name, type, user_id) VALUES (1, 'meter', 'script', NULL), (2, 'owner', 'user', 1);
            """,
        "0002_registry": """
            INSERT INTO user (id, email, username, password_hash, timezone, active, token_secret, created_at_us, last_login_at_us)
                VALUES (1, 'owner@example.com', 'owner', '$2b$04$hash', 'Europe/Amsterdam', 1, 'secret', 1600000000000000, NULL);
            INSERT INTO user_role (user_id, role_id) SELECT 1, id FROM role WHERE name IN ('admin', 'Prosumer');
            INSERT INTO asset_type (name, display_name, is_consumer, is_producer, can_curtail, can_shift)
                VALUES ('battery', 'battery', 1, 1, 0, 1);
            INSERT INTO market_type (name, display_name) VALUES ('day_ahead', 'day-ahead market');
            INSERT INTO weather_sensor_type (name, display_name, unit) VALUES ('temperature', 'temperature', '°C');
            INSERT INTO market (id, name, display_name, market_type_name) VALUES (2, 'epex_da', 'EPEX day-ahead', 'day_ahead');
            INSERT INTO asset (id, name, display_name, asset_type_name, capacity_in_mw, min_soc_in_mwh, max_soc_in_mwh,
                    soc_in_mwh, soc_datetime_us, soc_udi_event_id, latitude, longitude, owner_id, market_id)
                VALUES (1, 'battery', 'basement battery', 'battery', 30, 0, 60, 12.5, 1600000000000000, 7, 65, 123.76, 1, 2);
            INSERT INTO weather_sensor (id, name, display_name, weather_sensor_type_name, latitude, longitude)
                VALUES (3, 'thermometer', 'rooftop thermometer', 'temperature', 33, 2.4);
            """,
        "0003_belief_segments": """
            INSERT INTO belief_segment (id, sensor_id, source_id, first_event_start_us, last_event_start_us,
                    min_belief_time_us, max_belief_time_us, belief_count, data)
                VALUES (1, 1, 1, 1600000000000000, 1600000900000000, 1600000000000000, 1600001800000000, 2, x'00010203');
            INSERT INTO belief_tail (sensor_id, event_start_us, belief_time_us, source_id, cumulative_probability, value)
                VALUES (1, 1600001800000000, 1600002700000000, 1, 0.5, -1.25), (3, 1600000000000000, 1599999000000000, 2, 0.5, 21.5);
            """,
        "0004_jobs": """
            INSERT INTO job (id, queue, kind, payload, status, created_at_us) VALUES (1, 'forecasting', 'forecast', '{}', 'queued', 1);
            INSERT INTO job (id, queue, kind, payload, status, result, created_at_us, started_at_us, finished_at_us,
                    time_to_live_us, expires_at_us, worker, lease_expires_at_us, attempts)
                VALUES (2, 'scheduling', 'schedule', '{"asset":1}', 'finished', '{"ok":true}', 1, 2, 3, 10, 13, 'w1', 5, 1);
            """,
        "0005_udi_events": """
            INSERT INTO udi_event (asset_id, event_id, event_type, datetime_us, soc_in_mwh, targets, job_id, created_at_us)
                VALUES (1, 7, 'soc-with-targets', 1600000000000000, 12.5, '[]', 2, 1600000000000000);
            """,
        "0006_storage_and_site_connection": """
            UPDATE asset SET charging_efficiency = 0.95, discharging_efficiency = 0.9 WHERE id = 1;
            INSERT INTO site_connection (id, import_capacity_mw, export_capacity_mw, inflexible_asset_id) VALUES (1, 2.5, 1, 1);
            """,
        "0007_alerts": """
            INSERT INTO alert_rule (id, name, kind, sensor_id, asset_type, severity, for_us, repeat_us, enabled, value, recovery,
                    created_by, created_at_us)
                VALUES (1, 'battery hot', 'threshold_above', 1, NULL, 'critical', 900000000, 14400000000, 1, 5, 4, 'owner', 1);
            INSERT INTO alert_rule (id, name, kind, asset_type, severity, for_us, resolutions, created_at_us)
                VALUES (2, 'battery gap', 'gap', 'battery', 'warning', 0, 3, 2);
            INSERT INTO alert (id, rule_id, subject_id, state, labels, value, active_since_us, fired_at_us, last_notified_at_us,
                    acknowledged_by, acknowledged_at_us, acknowledgement_comment, updated_at_us)
                VALUES (1, 1, 1, 'firing', '{"alertname":"battery hot"}', 6.5, 1600000000000000, 1600000900000000,
                    1600000900000000, 'owner', 1600001000000000, 'looking', 1600001000000000);
            INSERT INTO alert_silence (id, matchers, starts_at_us, ends_at_us, comment, created_by, created_at_us)
                VALUES (1, '["alertname=battery gap"]', 1600000000000000, 1600003600000000, 'maintenance', 'owner', 1600000000000000);
            INSERT INTO alert_notification (id, alert_id, rule_id, status, labels, annotations, fingerprint, starts_at_us, ends_at_us,
                    created_at_us, delivered_at_us)
                VALUES (1, 1, 1, 'firing', '{"alertname":"battery hot"}', '{"summary":"hot"}', '0123456789abcdef', 1600000000000000,
                    NULL, 1600000900000000, NULL);
            INSERT INTO alert_activity (scope, id, last_received_us, last_event_start_us, run_value, run_since_us)
                VALUES ('sensor', 1, 1600002700000000, 1600001800000000, -1.25, 1600001800000000), ('source', 2, 1599999000000000, NULL, NULL, NULL);
            """,
        "0008_job_retries": """
            INSERT INTO job (id, queue, kind, payload, status, error, created_at_us, attempts, run_after_us, max_attempts, retry_delay_us,
                    retry_max_delay_us, worker)
                VALUES (3, 'delivery', 'deliver-alerts', '{"channel":"webhook","notification_ids":[1]}', 'queued', 'HTTP 500', 4, 1,
                    30000004, 8, 30000000, 1800000000, 'w2');
            UPDATE job SET max_attempts = 2, retry_delay_us = 1000000, retry_max_delay_us = 2000000 WHERE id = 1;
            """,
        "0009_alert_delivery": """
            UPDATE alert_notification SET dispatched_at_us = 1600000900000000 WHERE id = 1;
            """,
        "0010_console_sessions": """
            INSERT INTO console_session (token_hash, user_id, token_secret, csrf_token, created_us, expires_us, client)
                VALUES (zeroblob(32), 1, 'secret', 'csrf', 1600000000000000, 1600043200000000, '127.0.0.1');
            """,
        "0011_belief_journal": """
            INSERT INTO belief_journal_stream (id, stream_id, started_us) VALUES (1, 'stream', 1600000000000000);
            INSERT INTO belief_journal (sequence, change, sensor_id, source_id, belief_count, data, recorded_us)
                VALUES (1, 'delete_all', NULL, NULL, 0, NULL, 1600000000000000), (2, 'append', 1, 1, 1, x'00', 1600000000000001);
            """,
        "0012_uplink_alert_rule": """
            INSERT INTO alert_rule (id, name, kind, severity, for_us, repeat_us, duration_us, created_by, created_at_us)
                VALUES (3, 'uplink stuck', 'uplink_stuck', 'critical', 0, 14400000000, 3600000000, 'owner', 3);
            INSERT INTO alert (id, rule_id, subject_id, state, labels, value, active_since_us, fired_at_us, last_notified_at_us, updated_at_us)
                VALUES (2, 3, 0, 'firing', '{"alertname":"uplink stuck"}', 3700, 1600000000000000, 1600000000000000,
                    1600000000000000, 1600000000000000);
            """,
    ]

    static var identifiers: [String] { SiteSchema.migrations.map(\.identifier) }

    /// The schema (every table and index with its SQL, but GRDB's bookkeeping, whose rows count) and every row of
    /// every table, sorted: two files with the same snapshot hold the same data in the same schema.
    struct Snapshot: Equatable, CustomStringConvertible {
        var schema: [String]
        var rows: [String: [String]]
        /// Every row of every table as column -> value, for comparing a table whose columns a migration added.
        var cells: [String: [[String: String]]]

        init(_ path: String) throws {
            let queue = try DatabaseQueue(path: path)
            defer { try? queue.close() }
            (schema, rows, cells) = try queue.read { db in
                let schema = try Row.fetchAll(db, sql: """
                    SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations' ORDER BY name
                    """).map(\.description)
                var rows: [String: [String]] = [:]
                var cells: [String: [[String: String]]] = [:]
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                for table in tables {
                    let fetched = try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier)")
                    rows[table] = fetched.map(\.description).sorted()
                    cells[table] = fetched.map { row in
                        Dictionary(uniqueKeysWithValues: row.columnNames.map { ($0, (row[$0] as DatabaseValue).description) })
                    }
                }
                return (schema, rows, cells)
            }
        }

        /// The rows of the tables that `other` has too.
        func rows(ofTablesIn other: Snapshot) -> [String: [String]] {
            rows.filter { other.rows.keys.contains($0.key) }
        }

        /// The rows of `table` with only the columns `older` has for it (a migration may have added columns
        /// that its down step drops again), sorted.
        func rows(of table: String, asIn older: Snapshot) -> [String] {
            let columns = Set(older.cells[table]?.first?.keys.map { $0 } ?? cells[table]?.first?.keys.map { $0 } ?? [])
            return (cells[table] ?? []).map { row in
                row.filter { columns.contains($0.key) }.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: " ")
            }.sorted()
        }

        var description: String { "\(schema)\n\(rows)" }
    }

    /// A file migrated through `count` migrations, each followed by its rows.
    static func database(migratedThrough count: Int, at path: String) throws -> SiteDatabase {
        var site = try SiteDatabase(path: path, migrations: [])
        for index in 0..<count {
            site = try SiteDatabase(path: path, migrations: Array(SiteSchema.migrations.prefix(index + 1)))
            let rows = try #require(data[identifiers[index]], "MigrationRoundTripTests.data needs rows for \(identifiers[index])")
            try site.write { db in try db.execute(sql: rows) }
        }
        return site
    }

    /// The schema a file has after only the first `count` migrations (and no rows of its own).
    static func schema(afterFirst count: Int) throws -> [String] {
        let file = try TemporaryDatabase()
        _ = try SiteDatabase(path: file.path, migrations: Array(SiteSchema.migrations.prefix(count)))
        return try Snapshot(file.path).schema
    }

    static func revision(before index: Int) -> SchemaRevision {
        index == 0 ? .base : .migration(identifiers[index - 1])
    }

    @Test func everyMigrationHasRowsForTheseTests() {
        #expect(Set(Self.data.keys) == Set(Self.identifiers))
    }

    /// Data only in the tables of earlier migrations: nothing is lost, so no force is needed, and the file comes
    /// back exactly as it was.
    @Test(arguments: identifiers)
    func revertingAMigrationWithEmptyTablesAndUpgradingAgainGivesBackTheSameFile(migration: String) throws {
        let index = try #require(Self.identifiers.firstIndex(of: migration))
        let file = try TemporaryDatabase()
        _ = try Self.database(migratedThrough: index, at: file.path)
        let site = try SiteDatabase(path: file.path, migrations: SiteSchema.migrations)
        let before = try Snapshot(file.path)

        let done = try site.downgrade(to: Self.revision(before: index))
        #expect(done.reverted == Array(Self.identifiers[index...].reversed()))
        #expect(done.losses.isEmpty)
        let down = try Snapshot(file.path)
        #expect(down.schema == (try Self.schema(afterFirst: index)), "the schema of the older release")
        for table in down.rows.keys where table != "grdb_migrations" && table != "sqlite_sequence" {
            #expect(down.rows(of: table, asIn: down) == before.rows(of: table, asIn: down), "\(table) keeps its rows")
        }
        #expect(try site.appliedMigrations() == Array(Self.identifiers.prefix(index)))

        #expect(try site.upgrade() == Array(Self.identifiers[index...]))
        #expect(try Snapshot(file.path) == before)
    }

    /// Data in every table: the down step refuses and changes nothing; forced, it drops the newer tables' rows
    /// and keeps the older ones', and upgrading again gives the same schema with the newer tables empty.
    @Test(arguments: identifiers)
    func revertingAMigrationWithDataIsRefusedUnlessForced(migration: String) throws {
        let index = try #require(Self.identifiers.firstIndex(of: migration))
        let file = try TemporaryDatabase()
        let site = try Self.database(migratedThrough: Self.identifiers.count, at: file.path)
        let before = try Snapshot(file.path)

        let refusal = #expect(throws: SiteDatabaseError.self) { try site.downgrade(to: Self.revision(before: index)) }
        guard case let .downgradeWouldLoseData(_, _, losses)? = refusal else {
            Issue.record("not refused for the data it would lose: \(String(describing: refusal))")
            return
        }
        // A loss named for every migration reverted, and for none of the older ones.
        for (other, identifier) in Self.identifiers.enumerated() {
            #expect(losses.contains { $0.hasSuffix("(\(identifier))") } == (other >= index), "\(identifier): \(losses)")
        }
        #expect(try Snapshot(file.path) == before, "nothing changed")

        let forced = try site.downgrade(to: Self.revision(before: index), force: true)
        #expect(forced.reverted == Array(Self.identifiers[index...].reversed()))
        let down = try Snapshot(file.path)
        // Every table dropped had rows (but the roles, which the registry's migration seeds itself): each is named.
        for table in Set(before.rows.keys).subtracting(down.rows.keys).subtracting(["role"]) {
            #expect(forced.losses.contains { $0.contains("in table \(table) ") }, "\(table): \(forced.losses)")
        }
        #expect(down.schema == (try Self.schema(afterFirst: index)))
        // Jobs of the delivery queue have no place in the job table before 0008_job_retries (its losses name them).
        let revertsRetries = index <= Self.identifiers.firstIndex(of: "0008_job_retries")!
        #expect(!revertsRetries || forced.losses.contains { $0.contains("of the delivery queue") }, "\(forced.losses)")
        // Nor have uplink_stuck rules and their alerts in alert_rule before 0012_uplink_alert_rule.
        let revertsUplinkRules = index <= Self.identifiers.firstIndex(of: "0012_uplink_alert_rule")!
        #expect(!revertsUplinkRules || forced.losses.contains { $0.hasPrefix("1 uplink_stuck rule in table alert_rule, with 1 alert") }, "\(forced.losses)")
        func gone(_ table: String, _ row: String) -> Bool {
            (revertsRetries && table == "job" && row.contains("queue:\"delivery\""))
                || (revertsUplinkRules && table == "alert_rule" && row.contains("kind:\"uplink_stuck\""))
                || (revertsUplinkRules && table == "alert" && row.contains("rule_id:3 "))
        }
        for table in down.rows.keys where table != "grdb_migrations" && table != "sqlite_sequence" {
            let kept = before.rows(of: table, asIn: down).filter { !gone(table, $0) }
            #expect(down.rows(of: table, asIn: down) == kept, "\(table) keeps its rows")
        }

        try site.upgrade()
        let after = try Snapshot(file.path)
        #expect(after.schema == before.schema)
        #expect(after.rows["grdb_migrations"] == before.rows["grdb_migrations"])
        // The newer tables are back, without their rows; a fresh file has the same (the roles it seeds).
        let fresh = try TemporaryDatabase()
        _ = try Self.database(migratedThrough: index, at: fresh.path)
        _ = try SiteDatabase(path: fresh.path, migrations: SiteSchema.migrations)
        let expected = try Snapshot(fresh.path)
        #expect(after.rows.filter { $0.key != "sqlite_sequence" } == expected.rows.filter { $0.key != "sqlite_sequence" })
    }

    @Test func revertingTheUplinkRuleKindKeepsTheNoticesOfItsRulesInTheOutbox() throws {
        let file = try TemporaryDatabase()
        let site = try Self.database(migratedThrough: Self.identifiers.count, at: file.path)
        try site.write { db in
            try db.execute(sql: """
                INSERT INTO alert_notification (id, alert_id, rule_id, status, labels, annotations, fingerprint, starts_at_us, created_at_us)
                    VALUES (2, 2, 3, 'firing', '{"alertname":"uplink stuck"}', '{"summary":"stuck"}', 'fedcba9876543210', 1600000000000000,
                        1600000000000000);
                """)
        }
        let done = try site.downgrade(to: .migration("0011_belief_journal"), force: true)
        #expect(done.losses == ["1 uplink_stuck rule in table alert_rule, with 1 alert (0012_uplink_alert_rule)"])
        let (rules, alerts, notices) = try site.pool.read { db in
            (try Int64.fetchAll(db, sql: "SELECT id FROM alert_rule ORDER BY id"), try Int64.fetchAll(db, sql: "SELECT id FROM alert ORDER BY id"),
             try Row.fetchAll(db, sql: "SELECT id, alert_id, rule_id FROM alert_notification ORDER BY id").map { "\($0)" })
        }
        #expect(rules == [1, 2])
        #expect(alerts == [1])
        #expect(notices == ["[id:1 alert_id:1 rule_id:1]", "[id:2 alert_id:NULL rule_id:3]"])
        // The id counter stays where it was: rule 3's id is not handed out again.
        try site.write { db in
            try db.execute(sql: "INSERT INTO alert_rule (name, kind, severity, for_us, created_at_us) VALUES ('later', 'worker_dead', 'info', 0, 4)")
            #expect(db.lastInsertedRowID == 4)
        }
    }

    @Test func anEmptiedJobTableStillCountsItsIdsAsALoss() throws {
        let file = try TemporaryDatabase()
        let site = try SiteDatabase(path: file.path, migrations: SiteSchema.migrations)
        try site.write { db in
            try db.execute(sql: Self.data["0004_jobs"]!)
            try db.execute(sql: "DELETE FROM job")
        }
        #expect(throws: SiteDatabaseError.downgradeWouldLoseData(
            path: file.path, revision: "0003_belief_segments",
            losses: ["the id counter of table job (at 2; its ids would be handed out again) (0004_jobs)"]
        )) {
            try site.downgrade(to: .migration("0003_belief_segments"))
        }
    }

    @Test func aDowngradeToARevisionNotReachedIsRefused() throws {
        let file = try TemporaryDatabase()
        _ = try SiteDatabase(path: file.path, migrations: Array(SiteSchema.migrations.prefix(2)))
        let site = try SiteDatabase(path: file.path, migrations: SiteSchema.migrations, policy: .inspectOnly)
        #expect(throws: SiteDatabaseError.notApplied(path: file.path, revision: "0004_jobs", current: "0002_registry")) {
            try site.downgrade(to: .migration("0004_jobs"))
        }
        #expect(throws: SiteDatabaseError.alreadyBeyond(path: file.path, revision: "0001_sensors_and_sources", current: "0002_registry")) {
            try site.upgrade(to: .migration("0001_sensors_and_sources"))
        }
        #expect(try site.upgrade(to: .migration("0003_belief_segments")) == ["0003_belief_segments"])
    }

    @Test(arguments: [("base", SchemaRevision.base), ("0003", .migration("0003_belief_segments")),
                      ("0004_jobs", .migration("0004_jobs"))])
    func revisionsAreNamedByIdentifierOrItsStart(text: String, revision: SchemaRevision) throws {
        let file = try TemporaryDatabase()
        let site = try SiteDatabase(path: file.path, migrations: SiteSchema.migrations)
        #expect(try site.revision(named: text) == revision)
    }

    @Test func ambiguousAndUnknownRevisionsAreRefused() throws {
        let file = try TemporaryDatabase()
        let site = try SiteDatabase(path: file.path, migrations: SiteSchema.migrations)
        #expect(throws: SiteDatabaseError.ambiguousRevision("00", matches: Self.identifiers)) { try site.revision(named: "00") }
        #expect(throws: SiteDatabaseError.unknownRevision("0042", known: Self.identifiers)) { try site.revision(named: "0042") }
    }
}
