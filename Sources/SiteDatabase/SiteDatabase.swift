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
    /// Every migration this build knows, in application order.
    public let migrations: [SchemaMigration]
    let writerLock: WriterLock
    /// The writes waiting to share the next commit (`transaction`).
    private let transactions = WriteQueue()
    let migrator: DatabaseMigrator
    private let migrationIdentifiers: [String]

    /// Opens (creating if needed) the database at `path` and checks it against `migrations`.
    /// Throws `SiteDatabaseError.newerSchema` when the file holds migrations this build does not know. A file
    /// whose newest migrations were reverted (`downgrade`) opens like one that never had them.
    public init(
        path: String,
        migrations: [SchemaMigration],
        policy: UpgradePolicy = .upgrade
    ) throws {
        self.path = path
        // Identifiers are what GRDB and `db history` order by: a list in another order would apply
        // migrations in one order on a new file and report them in another.
        if let (earlier, later) = zip(migrations, migrations.dropFirst()).first(where: { $0.identifier >= $1.identifier }) {
            throw SiteDatabaseError.migrationsOutOfOrder(earlier: earlier.identifier, later: later.identifier)
        }
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
        self.migrations = migrations
        migrationIdentifiers = migrations.map(\.identifier)

        let unknown = try pool.read { db in try migrator.appliedIdentifiers(db) }
            .subtracting(migrationIdentifiers)
        if !unknown.isEmpty {
            throw SiteDatabaseError.newerSchema(
                path: path, unknownMigrations: unknown.sorted(), newestKnown: migrationIdentifiers.last
            )
        }
        if policy == .upgrade {
            try writerLock.exclusively { try migrator.migrate(pool) }
        }
    }

    /// Runs `body` in a read transaction of a reader connection, blocking the caller until a reader is free.
    /// Never GRDB's async `read` from the daemon: it keeps its reader across an await, and its release then
    /// needs a cooperative thread; with those threads blocked in this wait for a reader, every request froze.
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.read(body)
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
        try pool.read { db in try appliedMigrations(in: db) }
    }

    /// `appliedMigrations`, within a transaction of the caller's.
    public func appliedMigrations(in db: Database) throws -> [String] {
        try migrator.appliedMigrations(db)
    }

    /// Migrations this build knows but the file has not had yet.
    public func pendingMigrations() throws -> [String] {
        let applied = Set(try appliedMigrations())
        return migrationIdentifiers.filter { !applied.contains($0) }
    }

    /// Applies every pending migration, or those up to and including `revision`; returns the identifiers it
    /// applied. Throws `SiteDatabaseError.alreadyBeyond` when the file is past `revision` (that takes a downgrade).
    @discardableResult
    public func upgrade(to revision: SchemaRevision? = nil) throws -> [String] {
        let targetIndex = try revision.map(index(of:)) ?? migrationIdentifiers.count
        // Read and checked under the lock: another process may migrate meanwhile, and GRDB stops the process
        // when asked to migrate a file that is already past the target.
        return try writerLock.exclusively {
            let applied = try appliedMigrations()
            if let current = applied.last, try index(of: .migration(current)) > targetIndex {
                throw SiteDatabaseError.alreadyBeyond(path: path, revision: revision?.description ?? "head", current: current)
            }
            guard targetIndex > 0 else { return [] }
            try migrator.migrate(pool, upTo: migrationIdentifiers[targetIndex - 1])
            let before = Set(applied)
            return migrationIdentifiers.prefix(targetIndex).filter { !before.contains($0) }
        }
    }

    /// How many known migrations a database at `revision` has had (0 at the base); throws for a migration
    /// this build does not know.
    func index(of revision: SchemaRevision) throws -> Int {
        switch revision {
        case .base: return 0
        case let .migration(identifier):
            guard let index = migrationIdentifiers.firstIndex(of: identifier) else {
                throw SiteDatabaseError.unknownRevision(identifier, known: migrationIdentifiers)
            }
            return index + 1
        }
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

extension SiteDatabase {
    /// Runs `body` in the site's shared write transaction, inside a savepoint of its own: writes of many
    /// concurrent requests queue for the one writer and share one durable commit (group commit, which is
    /// what makes many small writes cheap under `synchronous=FULL`); a write that throws rolls back alone.
    public func transaction<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await transactions.submit(body, to: self)
    }
}
