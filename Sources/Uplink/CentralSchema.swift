import Logging
import PostgresNIO

/// The fleet's tables in the central PostgreSQL, in their own schema `fleet` so that they sit beside a
/// FlexMeasures platform's tables of the same names without touching them.
///
/// `fleet.timed_belief` has the timely-beliefs layout (event start, belief horizon, cumulative probability,
/// event value, sensor, source, with the same primary key) plus the site each row came from. Its sensor and
/// source columns point at `fleet.sensor` and `fleet.data_source` without foreign keys: checking them per row
/// made a COPY of a million beliefs 3.5 times slower (8.8 s against 2.5 s here); the uplink registers a
/// site's sensors and sources in the same transaction as their first beliefs. The index on (sensor, event
/// start) serves reads of one sensor's window, and the deletions a site forwards.
public enum CentralSchema {
    public struct Migration: Sendable {
        public let version: Int
        public let summary: String
        let statements: [String]
    }

    public static let migrations: [Migration] = [
        Migration(
            version: 1,
            summary: "sites, their sensors and data sources, and timed_belief in the timely-beliefs layout",
            statements: [
                """
                CREATE TABLE fleet.site (
                    id serial PRIMARY KEY,
                    name text NOT NULL UNIQUE,
                    stream_id text,
                    acknowledged_sequence bigint NOT NULL DEFAULT 0,
                    beliefs_received bigint NOT NULL DEFAULT 0,
                    first_contact timestamptz NOT NULL DEFAULT now(),
                    last_contact timestamptz NOT NULL DEFAULT now()
                )
                """,
                """
                CREATE TABLE fleet.sensor (
                    id serial PRIMARY KEY,
                    site_id integer NOT NULL REFERENCES fleet.site(id) ON DELETE CASCADE,
                    site_sensor_id bigint NOT NULL,
                    name text NOT NULL,
                    kind text NOT NULL,
                    unit text NOT NULL,
                    event_resolution interval NOT NULL,
                    timezone text NOT NULL,
                    UNIQUE (site_id, site_sensor_id)
                )
                """,
                """
                CREATE TABLE fleet.data_source (
                    id serial PRIMARY KEY,
                    site_id integer NOT NULL REFERENCES fleet.site(id) ON DELETE CASCADE,
                    site_source_id bigint NOT NULL,
                    name text NOT NULL,
                    type text NOT NULL,
                    UNIQUE (site_id, site_source_id)
                )
                """,
                """
                CREATE TABLE fleet.timed_belief (
                    event_start timestamptz NOT NULL,
                    belief_horizon interval NOT NULL,
                    cumulative_probability double precision NOT NULL DEFAULT 0.5,
                    event_value double precision NOT NULL,
                    sensor_id integer NOT NULL,
                    source_id integer NOT NULL,
                    site_id integer NOT NULL,
                    PRIMARY KEY (event_start, belief_horizon, cumulative_probability, sensor_id, source_id)
                )
                """,
                "CREATE INDEX timed_belief_by_sensor ON fleet.timed_belief (sensor_id, event_start)",
            ]
        ),
    ]

    public static var latestVersion: Int { migrations.last!.version }

    /// What `uplink init` did.
    public struct Report: Sendable, Equatable {
        public let versionBefore: Int
        public let versionAfter: Int
        /// The versions this run applied, oldest first.
        public var applied: [Int] { CentralSchema.migrations.map(\.version).filter { $0 > versionBefore && $0 <= versionAfter } }
    }

    /// Creates or upgrades the fleet schema, each migration in a transaction of its own; a server holding a
    /// newer schema than this release knows is refused. Concurrent callers (two sites' `uplink init` at once)
    /// take turns on an advisory lock.
    public static func migrate(on connection: PostgresConnection, logger: Logger) async throws -> Report {
        try await connection.query("SELECT pg_advisory_lock(\(lockKey))", logger: logger)
        do {
            try await connection.query("CREATE SCHEMA IF NOT EXISTS fleet", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS fleet.schema_migration (
                    version integer PRIMARY KEY, summary text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                logger: logger
            )
            let before = try await version(on: connection, logger: logger)
            guard before <= latestVersion else { throw UplinkError.centralSchemaNewer(version: before, known: latestVersion) }
            for migration in migrations where migration.version > before {
                try await connection.query("BEGIN", logger: logger)
                do {
                    for statement in migration.statements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query(
                        "INSERT INTO fleet.schema_migration (version, summary) VALUES (\(migration.version), \(migration.summary))",
                        logger: logger
                    )
                    try await connection.query("COMMIT", logger: logger)
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
            try await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
            return Report(versionBefore: before, versionAfter: latestVersion)
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
            throw error
        }
    }

    /// The schema's version on the server: 0 before `uplink init`.
    public static func version(on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let exists = try await connection.query(
            "SELECT to_regclass('fleet.schema_migration') IS NOT NULL", logger: logger
        ).collect().first?.decode(Bool.self) ?? false
        guard exists else { return 0 }
        let rows = try await connection.query("SELECT COALESCE(MAX(version), 0) FROM fleet.schema_migration", logger: logger).collect()
        return try rows.first.map { Int(try $0.decode(Int32.self)) } ?? 0
    }

    /// pg_advisory_lock's key for the fleet schema's migrations ("fleet" in ASCII).
    private static let lockKey: Int64 = 0x666C_6565_74
}
