import GRDB

extension SiteDatabase {
    /// What a downgrade did: the migrations it reverted, newest first, and the data they dropped (only when forced).
    public struct Downgrade: Sendable, Equatable {
        public let reverted: [String]
        public let losses: [String]
    }

    /// The revision `text` names: `base`, a migration's identifier, or the start of exactly one (`0003`).
    public func revision(named text: String) throws -> SchemaRevision {
        if text == "base" { return .base }
        let identifiers = migrations.map(\.identifier)
        if identifiers.contains(text) { return .migration(text) }
        let matches = identifiers.filter { !text.isEmpty && $0.hasPrefix(text) }
        guard matches.count == 1 else {
            throw matches.isEmpty
                ? SiteDatabaseError.unknownRevision(text, known: identifiers)
                : SiteDatabaseError.ambiguousRevision(text, matches: matches)
        }
        return .migration(matches[0])
    }

    /// The revision before the newest applied migration (`base` when one or none is applied).
    public func previousRevision() throws -> SchemaRevision {
        let applied = try appliedMigrations()
        return applied.count >= 2 ? .migration(applied[applied.count - 2]) : .base
    }

    /// Reverts the migrations applied after `revision`, newest first, and forgets them, in one transaction
    /// while no other process writes: either all of them are undone or none.
    ///
    /// Before changing anything it asks each migration what its down step would drop that the older schema
    /// cannot hold; unless `force`, any such loss throws `SiteDatabaseError.downgradeWouldLoseData` and leaves
    /// the file as it was. Foreign keys are off during the steps (as GRDB runs migrations) and checked before
    /// the commit. Stop the daemon first: it expects the schema it started with.
    @discardableResult
    public func downgrade(to revision: SchemaRevision, force: Bool = false) throws -> Downgrade {
        let targetIndex = try index(of: revision)
        return try pool.writeWithoutTransaction { db in
            try writerLock.exclusively {
                // What is applied is read under the lock, in the transaction that reverts it.
                let applied = try migrator.appliedMigrations(db)
                if targetIndex > 0 && !applied.contains(revision.description) {
                    throw SiteDatabaseError.notApplied(path: path, revision: revision.description, current: applied.last)
                }
                let reverting = Array(migrations[targetIndex...].filter { applied.contains($0.identifier) }.reversed())
                guard !reverting.isEmpty else { return Downgrade(reverted: [], losses: []) }
                // Outside a transaction: SQLite ignores this pragma inside one.
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
                var losses: [String] = []
                try db.inTransaction(.immediate) {
                    for migration in reverting {
                        losses += try migration.losses(db).map { "\($0) (\(migration.identifier))" }
                    }
                    if !losses.isEmpty && !force {
                        throw SiteDatabaseError.downgradeWouldLoseData(path: path, revision: revision.description, losses: losses)
                    }
                    for migration in reverting {
                        try migration.revert(db)
                        try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [migration.identifier])
                    }
                    let tables = try Set(db.foreignKeyViolations().map(\.originTable)).sorted()
                    if !tables.isEmpty {
                        throw SiteDatabaseError.downgradeBreaksReferences(path: path, revision: revision.description, tables: tables)
                    }
                    return .commit
                }
                return Downgrade(reverted: reverting.map(\.identifier), losses: losses)
            }
        }
    }
}
