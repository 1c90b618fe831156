import GRDB
import SiteDatabase

/// The registry's tables. Assets, markets and weather sensors take their id from the belief store's
/// `sensor` table (one id space), and go when their sensor goes.
public enum RegistrySchema {
    /// The roles are the migration's own rows (no command changes them): reverting it loses nothing of theirs.
    public static let initial = SchemaMigration.creatingTables(
        "0002_registry",
        summary: "Users and their roles; asset, market and weather sensor types; assets, markets and weather sensors.",
        tables: ["role", "user", "user_role", "asset_type", "market_type", "weather_sensor_type", "market", "asset", "weather_sensor"],
        seeded: ["role"]
    ) { db in
        try db.execute(sql: """
            CREATE TABLE role (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE,
                description TEXT NOT NULL DEFAULT ''
            );
            CREATE TABLE user (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                email TEXT NOT NULL UNIQUE COLLATE NOCASE,
                username TEXT NOT NULL UNIQUE,
                password_hash TEXT NOT NULL,
                timezone TEXT NOT NULL DEFAULT 'UTC',
                active INTEGER NOT NULL DEFAULT 1,
                token_secret TEXT NOT NULL,
                created_at_us INTEGER NOT NULL,
                last_login_at_us INTEGER
            );
            CREATE TABLE user_role (
                user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                role_id INTEGER NOT NULL REFERENCES role(id) ON DELETE CASCADE,
                PRIMARY KEY (user_id, role_id)
            ) WITHOUT ROWID;
            CREATE TABLE asset_type (
                name TEXT PRIMARY KEY,
                display_name TEXT NOT NULL,
                is_consumer INTEGER NOT NULL,
                is_producer INTEGER NOT NULL,
                can_curtail INTEGER NOT NULL,
                can_shift INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE market_type (
                name TEXT PRIMARY KEY,
                display_name TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE weather_sensor_type (
                name TEXT PRIMARY KEY,
                display_name TEXT NOT NULL,
                unit TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE market (
                id INTEGER PRIMARY KEY REFERENCES sensor(id) ON DELETE CASCADE,
                name TEXT NOT NULL UNIQUE,
                display_name TEXT NOT NULL,
                market_type_name TEXT NOT NULL REFERENCES market_type(name)
            );
            CREATE TABLE asset (
                id INTEGER PRIMARY KEY REFERENCES sensor(id) ON DELETE CASCADE,
                name TEXT NOT NULL UNIQUE,
                display_name TEXT NOT NULL,
                asset_type_name TEXT NOT NULL REFERENCES asset_type(name),
                capacity_in_mw REAL NOT NULL CHECK (capacity_in_mw >= 0),
                min_soc_in_mwh REAL,
                max_soc_in_mwh REAL,
                soc_in_mwh REAL,
                soc_datetime_us INTEGER,
                soc_udi_event_id INTEGER,
                latitude REAL NOT NULL CHECK (latitude BETWEEN -90 AND 90),
                longitude REAL NOT NULL CHECK (longitude BETWEEN -180 AND 180),
                owner_id INTEGER NOT NULL REFERENCES user(id),
                market_id INTEGER REFERENCES market(id) ON DELETE SET NULL
            );
            CREATE INDEX asset_by_owner ON asset(owner_id);
            CREATE TABLE weather_sensor (
                id INTEGER PRIMARY KEY REFERENCES sensor(id) ON DELETE CASCADE,
                name TEXT NOT NULL UNIQUE,
                display_name TEXT NOT NULL,
                weather_sensor_type_name TEXT NOT NULL REFERENCES weather_sensor_type(name),
                latitude REAL NOT NULL CHECK (latitude BETWEEN -90 AND 90),
                longitude REAL NOT NULL CHECK (longitude BETWEEN -180 AND 180),
                UNIQUE (weather_sensor_type_name, latitude, longitude)
            );
            """)
        for role in Role.allCases {
            try db.execute(
                sql: "INSERT INTO role (name, description) VALUES (?, ?)",
                arguments: [role.rawValue, role.summary]
            )
        }
    }

    /// UDI events: the states of charge (and targets) that gateways post for batteries and charge
    /// points, with the scheduling job each one started.
    public static let udiEvents = SchemaMigration.creatingTables(
        "0005_udi_events",
        summary: "UDI events: states of charge and targets posted for batteries and charge points, with their scheduling jobs.",
        tables: ["udi_event"]
    ) { db in
        try db.execute(sql: """
            CREATE TABLE udi_event (
                asset_id INTEGER NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
                event_id INTEGER NOT NULL,
                event_type TEXT NOT NULL,
                datetime_us INTEGER NOT NULL,
                soc_in_mwh REAL NOT NULL,
                targets TEXT NOT NULL,
                job_id INTEGER,
                created_at_us INTEGER NOT NULL,
                PRIMARY KEY (asset_id, event_id)
            ) WITHOUT ROWID;
            """)
    }

    /// Storage losses per asset (charging and discharging efficiency, 1 meaning none, the reference's
    /// behaviour) and the site's grid connection: one row of import and export capacity and the asset
    /// whose power is the site's inflexible load. Its down step drops both; it loses the connection's row
    /// and any efficiency other than 1.
    public static let storageAndSiteConnection = SchemaMigration(
        "0006_storage_and_site_connection",
        summary: "Charging and discharging efficiencies of assets; the site connection (import and export capacity, inflexible load).",
        apply: { db in
            try db.execute(sql: """
                ALTER TABLE asset ADD COLUMN charging_efficiency REAL NOT NULL DEFAULT 1
                    CHECK (charging_efficiency > 0 AND charging_efficiency <= 1);
                ALTER TABLE asset ADD COLUMN discharging_efficiency REAL NOT NULL DEFAULT 1
                    CHECK (discharging_efficiency > 0 AND discharging_efficiency <= 1);
                CREATE TABLE site_connection (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    import_capacity_mw REAL NOT NULL CHECK (import_capacity_mw >= 0),
                    export_capacity_mw REAL NOT NULL CHECK (export_capacity_mw >= 0),
                    inflexible_asset_id INTEGER REFERENCES asset(id) ON DELETE SET NULL
                );
                """)
        },
        revert: { db in
            try db.drop(table: "site_connection")
            try db.execute(sql: """
                ALTER TABLE asset DROP COLUMN discharging_efficiency;
                ALTER TABLE asset DROP COLUMN charging_efficiency;
                """)
        },
        losses: { db in
            var losses: [String] = []
            let rows = try Table("site_connection").fetchCount(db)
            if rows > 0 { losses.append("\(rows) row\(rows == 1 ? "" : "s") in table site_connection") }
            for column in ["charging_efficiency", "discharging_efficiency"] {
                let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM asset WHERE \(column) <> 1") ?? 0
                if count > 0 { losses.append("\(count) value\(count == 1 ? "" : "s") other than 1 in column asset.\(column)") }
            }
            return losses
        }
    )

    public static let all: [SchemaMigration] = [initial, udiEvents, storageAndSiteConnection]
}
