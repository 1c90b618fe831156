import GRDB
import SiteDatabase

/// The alerting tables (issue 14): rules, one alert per rule and subject with its state, silences, the
/// outbox of notifications that delivery reads, and what the evaluation remembers per sensor and source.
///
/// - `alert_rule`: a rule's kind and its parameters in typed columns (those of other kinds NULL), what it
///   applies to (`sensor_id`, or every asset of `asset_type`, or with both NULL the whole site), severity,
///   `for`, repeat interval.
/// - `alert`: the state of one rule on one subject (`subject_id`: the sensor for data rules, the data source
///   for `source_silent`, the queue's number for job and worker rules); unique per rule and subject.
/// - `alert_silence`: label matchers (a JSON list of `name=value` / `name!=value`) and the times they hold.
/// - `alert_notification`: the outbox, written in the transaction of the state change that asks for it;
///   `delivered_at_us` stays NULL until delivery has sent it.
/// - `alert_activity`: per sensor (and per data source) when data last arrived, the newest event judged
///   and the run of equal values it is in (flat lines).
public enum AlertsSchema {
    public static let migration = SchemaMigration.creatingTables(
        "0007_alerts",
        summary: "Alerting: rules, alert states per rule and sensor, silences, the notification outbox, data activity.",
        tables: ["alert_rule", "alert", "alert_silence", "alert_notification", "alert_activity"]
    ) { db in
        try db.execute(sql: """
            CREATE TABLE alert_rule (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
                kind TEXT NOT NULL CHECK (kind IN ('threshold_above', 'threshold_below', 'gap', 'flat_line', 'outlier',
                    'idle_use', 'job_failed', 'job_overdue', 'worker_dead', 'source_silent')),
                sensor_id INTEGER REFERENCES sensor(id) ON DELETE CASCADE,
                asset_type TEXT REFERENCES asset_type(name) ON DELETE CASCADE,
                severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
                for_us INTEGER NOT NULL CHECK (for_us >= 0),
                repeat_us INTEGER CHECK (repeat_us IS NULL OR repeat_us > 0),
                enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
                value REAL,
                recovery REAL,
                duration_us INTEGER CHECK (duration_us IS NULL OR duration_us > 0),
                resolutions INTEGER CHECK (resolutions IS NULL OR resolutions > 0),
                factor REAL,
                floor REAL,
                baseline TEXT CHECK (baseline IS NULL OR baseline IN ('last_week', 'forecast')),
                level REAL,
                quiet_window TEXT,
                queue TEXT,
                source_id INTEGER REFERENCES data_source(id) ON DELETE CASCADE,
                created_by TEXT,
                created_at_us INTEGER NOT NULL,
                CHECK (sensor_id IS NULL OR asset_type IS NULL)
            );
            CREATE INDEX alert_rule_by_sensor ON alert_rule(sensor_id) WHERE sensor_id IS NOT NULL;
            CREATE INDEX alert_rule_by_asset_type ON alert_rule(asset_type) WHERE asset_type IS NOT NULL;
            CREATE INDEX alert_rule_site_wide ON alert_rule(kind) WHERE sensor_id IS NULL AND asset_type IS NULL;
            CREATE TABLE alert (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                rule_id INTEGER NOT NULL REFERENCES alert_rule(id) ON DELETE CASCADE,
                subject_id INTEGER NOT NULL,
                state TEXT NOT NULL CHECK (state IN ('inactive', 'pending', 'firing', 'resolved')),
                labels TEXT NOT NULL,
                value REAL,
                active_since_us INTEGER,
                fired_at_us INTEGER,
                resolved_at_us INTEGER,
                last_notified_at_us INTEGER,
                acknowledged_by TEXT,
                acknowledged_at_us INTEGER,
                acknowledgement_comment TEXT,
                updated_at_us INTEGER NOT NULL,
                UNIQUE (rule_id, subject_id)
            );
            CREATE INDEX alert_by_state ON alert(state) WHERE state IN ('pending', 'firing');
            CREATE INDEX alert_by_subject ON alert(subject_id);
            CREATE TABLE alert_silence (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                matchers TEXT NOT NULL,
                starts_at_us INTEGER NOT NULL,
                ends_at_us INTEGER NOT NULL CHECK (ends_at_us > starts_at_us),
                comment TEXT NOT NULL DEFAULT '',
                created_by TEXT,
                created_at_us INTEGER NOT NULL
            );
            CREATE INDEX alert_silence_by_end ON alert_silence(ends_at_us);
            CREATE TABLE alert_notification (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                alert_id INTEGER REFERENCES alert(id) ON DELETE SET NULL,
                rule_id INTEGER NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('firing', 'resolved')),
                labels TEXT NOT NULL,
                annotations TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                starts_at_us INTEGER NOT NULL,
                ends_at_us INTEGER,
                created_at_us INTEGER NOT NULL,
                delivered_at_us INTEGER
            );
            CREATE INDEX alert_notification_undelivered ON alert_notification(id) WHERE delivered_at_us IS NULL;
            CREATE TABLE alert_activity (
                scope TEXT NOT NULL CHECK (scope IN ('sensor', 'source')),
                id INTEGER NOT NULL,
                last_received_us INTEGER NOT NULL,
                last_event_start_us INTEGER,
                run_value REAL,
                run_since_us INTEGER,
                PRIMARY KEY (scope, id)
            ) WITHOUT ROWID;
            """)
    }

    /// Every migration of alerting, in order.
    public static let all: [SchemaMigration] = [migration, delivery, uplinkRuleKind]

    /// Delivery (issue 14): `dispatched_at_us` marks a notice handed to the delivery jobs (`DeliveryJob`, one
    /// per channel), set in the transaction that queues them; `delivered_at_us` is then set by the first
    /// channel that sent it. Each channel's own outcome is its job's (retries, failure).
    public static let delivery = SchemaMigration(
        "0009_alert_delivery",
        summary: "Alert delivery: notices handed to the mail and webhook delivery jobs.",
        apply: { db in
            try db.execute(sql: """
                ALTER TABLE alert_notification ADD COLUMN dispatched_at_us INTEGER;
                CREATE INDEX alert_notification_undispatched ON alert_notification(id) WHERE dispatched_at_us IS NULL;
                """)
        },
        revert: { db in
            try db.execute(sql: """
                DROP INDEX alert_notification_undispatched;
                ALTER TABLE alert_notification DROP COLUMN dispatched_at_us;
                """)
        },
        losses: { db in
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM alert_notification WHERE dispatched_at_us IS NOT NULL") ?? 0
            return count > 0 ? ["\(count) value\(count == 1 ? "" : "s") in column alert_notification.dispatched_at_us (notices handed to delivery)"] : []
        }
    )

    /// The `uplink_stuck` rule kind (issue 16): the oldest change waiting for the fleet uplink has waited too
    /// long. SQLite cannot change a CHECK, so `alert_rule` is copied into a table that takes the kind (foreign
    /// keys are off meanwhile, so the alerts of its rules stay); its id counter is carried over. Going back
    /// deletes the rules of that kind and their alerts (their notices stay in the outbox, as when a rule is deleted).
    public static let uplinkRuleKind = SchemaMigration(
        "0012_uplink_alert_rule",
        summary: "Alert rules of kind uplink_stuck: the fleet uplink's backlog waiting too long.",
        apply: { db in try recreateRuleTable(as: ruleTableV2, in: db) },
        revert: { db in
            try db.execute(sql: """
                UPDATE alert_notification SET alert_id = NULL
                    WHERE alert_id IN (SELECT a.id FROM alert a JOIN alert_rule r ON r.id = a.rule_id WHERE r.kind = 'uplink_stuck');
                DELETE FROM alert WHERE rule_id IN (SELECT id FROM alert_rule WHERE kind = 'uplink_stuck');
                DELETE FROM alert_rule WHERE kind = 'uplink_stuck';
                """)
            try recreateRuleTable(as: ruleTableV1, in: db)
        },
        losses: { db in
            let rules = try Int.fetchOne(db, sql: "SELECT count(*) FROM alert_rule WHERE kind = 'uplink_stuck'") ?? 0
            guard rules > 0 else { return [] }
            let alerts = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM alert WHERE rule_id IN (SELECT id FROM alert_rule WHERE kind = 'uplink_stuck')
                """) ?? 0
            return ["\(rules) uplink_stuck rule\(rules == 1 ? "" : "s") in table alert_rule, with \(alerts) alert\(alerts == 1 ? "" : "s")"]
        }
    )

    /// `alert_rule` as `0007_alerts` made it.
    private static let ruleTableV1 = """
        CREATE TABLE alert_rule (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            kind TEXT NOT NULL CHECK (kind IN ('threshold_above', 'threshold_below', 'gap', 'flat_line', 'outlier',
                'idle_use', 'job_failed', 'job_overdue', 'worker_dead', 'source_silent')),
            sensor_id INTEGER REFERENCES sensor(id) ON DELETE CASCADE,
            asset_type TEXT REFERENCES asset_type(name) ON DELETE CASCADE,
            severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
            for_us INTEGER NOT NULL CHECK (for_us >= 0),
            repeat_us INTEGER CHECK (repeat_us IS NULL OR repeat_us > 0),
            enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
            value REAL,
            recovery REAL,
            duration_us INTEGER CHECK (duration_us IS NULL OR duration_us > 0),
            resolutions INTEGER CHECK (resolutions IS NULL OR resolutions > 0),
            factor REAL,
            floor REAL,
            baseline TEXT CHECK (baseline IS NULL OR baseline IN ('last_week', 'forecast')),
            level REAL,
            quiet_window TEXT,
            queue TEXT,
            source_id INTEGER REFERENCES data_source(id) ON DELETE CASCADE,
            created_by TEXT,
            created_at_us INTEGER NOT NULL,
            CHECK (sensor_id IS NULL OR asset_type IS NULL)
        );

        """

    private static let ruleTableV2 = """
        CREATE TABLE alert_rule (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            kind TEXT NOT NULL CHECK (kind IN ('threshold_above', 'threshold_below', 'gap', 'flat_line', 'outlier',
                'idle_use', 'job_failed', 'job_overdue', 'worker_dead', 'source_silent', 'uplink_stuck')),
            sensor_id INTEGER REFERENCES sensor(id) ON DELETE CASCADE,
            asset_type TEXT REFERENCES asset_type(name) ON DELETE CASCADE,
            severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
            for_us INTEGER NOT NULL CHECK (for_us >= 0),
            repeat_us INTEGER CHECK (repeat_us IS NULL OR repeat_us > 0),
            enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
            value REAL,
            recovery REAL,
            duration_us INTEGER CHECK (duration_us IS NULL OR duration_us > 0),
            resolutions INTEGER CHECK (resolutions IS NULL OR resolutions > 0),
            factor REAL,
            floor REAL,
            baseline TEXT CHECK (baseline IS NULL OR baseline IN ('last_week', 'forecast')),
            level REAL,
            quiet_window TEXT,
            queue TEXT,
            source_id INTEGER REFERENCES data_source(id) ON DELETE CASCADE,
            created_by TEXT,
            created_at_us INTEGER NOT NULL,
            CHECK (sensor_id IS NULL OR asset_type IS NULL)
        );

        """

    private static let ruleIndexes = """
        CREATE INDEX alert_rule_by_sensor ON alert_rule(sensor_id) WHERE sensor_id IS NOT NULL;
        CREATE INDEX alert_rule_by_asset_type ON alert_rule(asset_type) WHERE asset_type IS NOT NULL;
        CREATE INDEX alert_rule_site_wide ON alert_rule(kind) WHERE sensor_id IS NULL AND asset_type IS NULL;
        """

    /// Replaces `alert_rule` by one made with `create`, keeping every row and the id counter (ids of deleted
    /// rules are never handed out again: notices name their rule by id).
    private static func recreateRuleTable(as create: String, in db: Database) throws {
        let counter = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'alert_rule'")
        try db.execute(sql: "CREATE TEMPORARY TABLE alert_rule_copy AS SELECT * FROM alert_rule")
        try db.execute(sql: "DROP TABLE alert_rule")
        try db.execute(sql: create + ruleIndexes)
        try db.execute(sql: "INSERT INTO alert_rule SELECT * FROM temp.alert_rule_copy")
        try db.execute(sql: "DROP TABLE temp.alert_rule_copy")
        if let counter {
            try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = 'alert_rule'")
            try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('alert_rule', ?)", arguments: [counter])
        }
    }
}
