import Foundation
import GRDB

/// The site's single SQLite file: registry, beliefs, jobs and tokens all live in it.
///
/// WAL mode with exactly one writer connection and a pool of readers (GRDB's `DatabasePool`):
/// the system SQLite 3.40 corrupts the WAL when two connections write or checkpoint at once.
/// Other processes on the same file (the CLI, extra workers) take turns with it through `WriterLock`:
/// write with `write`, never with `pool.write`. `synchronous=FULL` by default, so an acknowledged
/// write survives power loss.
public final class SiteDatabase: Sendable {
    /// Whether opening applies pending migrations.
    public enum UpgradePolicy: Sendable {
        /// Apply pending migrations (a new file is created and migrated).
        case upgrade
        /// Leave the schema as it is (for `db current` and read-only inspection).
        case inspectOnly
    }

    public let path: String
    public let pool: DatabasePool
    private let writerLock: WriterLock
    private let migrator: DatabaseMigrator
    private let migrationIdentifiers: [String]

    /// Opens (creating if needed) the database at `path` and checks it against `migrations`.
    /// Throws `SiteDatabaseError.newerSchema` when the file holds migrations this build does not know.
    public init(
        path: String,
        migrations: [SchemaMigration],
        policy: UpgradePolicy = .upgrade
    ) throws {
        self.path = path
        try Self.createParentDirectory(of: path)
        writerLock = try WriterLock(databasePath: path)

        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)

        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.identifier, migrate: migration.apply)
        }
        self.migrator = migrator
        migrationIdentifiers = migrations.map(\.identifier)

        let unknown = try pool.read { db in try migrator.appliedIdentifiers(db) }
            .subtracting(migrationIdentifiers)
        if !unknown.isEmpty {
            throw SiteDatabaseError.newerSchema(path: path, unknownMigrations: unknown.sorted())
        }
        if policy == .upgrade {
            try writerLock.exclusively { try migrator.migrate(pool) }
        }
    }

    /// Runs `updates` in an immediate transaction of the writer connection, while no other process writes
    /// to the file; the commit (and any checkpoint SQLite runs at it) happens before the turn passes on.
    public func write<T>(_ updates: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            try writerLock.exclusively { try Self.inTransaction(db, updates) }
        }
    }

    /// `write` for async callers.
    public func write<T: Sendable>(_ updates: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.writeWithoutTransaction { [writerLock] db in
            try writerLock.exclusively { try Self.inTransaction(db, updates) }
        }
    }

    /// Runs `body`, which writes through GRDB calls other than `write` (backup into the file, erase), while
    /// no other process writes.
    public func exclusively<T>(_ body: () throws -> T) rethrows -> T {
        try writerLock.exclusively(body)
    }

    private static func inTransaction<T>(_ db: Database, _ updates: (Database) throws -> T) throws -> T {
        var result: T?
        try db.inTransaction(.immediate) {
            result = try updates(db)
            return .commit
        }
        return result!
    }

    /// Migrations recorded in the file, in application order.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try migrator.appliedMigrations(db) }
    }

    /// Migrations this build knows but the file has not had yet.
    public func pendingMigrations() throws -> [String] {
        let applied = Set(try appliedMigrations())
        return migrationIdentifiers.filter { !applied.contains($0) }
    }

    /// Applies every pending migration; returns the identifiers it applied.
    @discardableResult
    public func upgrade() throws -> [String] {
        let pending = try pendingMigrations()
        try writerLock.exclusively { try migrator.migrate(pool) }
        return pending
    }

    /// Throws unless every known migration has been applied (the daemon refuses to serve otherwise).
    public func requireCurrentSchema() throws {
        let pending = try pendingMigrations()
        if !pending.isEmpty {
            throw SiteDatabaseError.notUpgraded(path: path, pendingMigrations: pending)
        }
    }

    private static func createParentDirectory(of path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw SiteDatabaseError.cannotCreateDirectory(path: directory, reason: error.localizedDescription)
        }
    }
}
