/// Why the site database could not be opened or upgraded.
public enum SiteDatabaseError: Error, Equatable, CustomStringConvertible {
    /// The file was written by a newer release; these migrations are unknown to this one, whose newest is
    /// `newestKnown`.
    case newerSchema(path: String, unknownMigrations: [String], newestKnown: String?)
    /// The file has migrations pending and the caller asked not to apply them.
    case notUpgraded(path: String, pendingMigrations: [String])
    /// The folder for the database file could not be created.
    case cannotCreateDirectory(path: String, reason: String)
    /// The lock file that makes processes take turns writing could not be opened.
    case cannotLock(path: String, reason: String)
    /// No migration has this identifier, nor starts with it.
    case unknownRevision(String, known: [String])
    /// More than one migration starts with this.
    case ambiguousRevision(String, matches: [String])
    /// A downgrade to a revision the file has not reached.
    case notApplied(path: String, revision: String, current: String?)
    /// An upgrade to a revision the file is already past.
    case alreadyBeyond(path: String, revision: String, current: String)
    /// A downgrade would drop data that the older schema cannot hold, and was not forced; nothing changed.
    case downgradeWouldLoseData(path: String, revision: String, losses: [String])
    /// The down steps left rows that refer to missing rows (a bug in a down step); nothing changed.
    case downgradeBreaksReferences(path: String, revision: String, tables: [String])
    /// The list of migrations is not in application order: `later` comes after `earlier` in it but does
    /// not sort after it (a release's schema list is wrong; no file was opened).
    case migrationsOutOfOrder(earlier: String, later: String)

    public var description: String {
        switch self {
        case let .newerSchema(path, unknown, newestKnown):
            return "the database \(path) has a newer schema than this flexmeasures (unknown migrations: "
                + "\(unknown.joined(separator: ", "))); upgrade flexmeasures, or have the release that wrote it take the "
                + "database back with `flexmeasures db downgrade \(newestKnown ?? "base")`, or use another database"
        case let .notUpgraded(path, pending):
            return "the database \(path) needs `flexmeasures db upgrade` (pending: \(pending.joined(separator: ", ")))"
        case let .cannotCreateDirectory(path, reason):
            return "cannot create the folder \(path) for the database: \(reason)"
        case let .cannotLock(path, reason):
            return "cannot open the writers' lock file \(path): \(reason); the database's folder must be writable"
        case let .unknownRevision(text, known):
            return "no migration '\(text)': the revisions are base, \(known.joined(separator: ", ")) (`flexmeasures db history`)"
        case let .ambiguousRevision(text, matches):
            return "'\(text)' names more than one migration (\(matches.joined(separator: ", "))): give more of the identifier"
        case let .notApplied(path, revision, current):
            return "the database \(path) is at \(current ?? "base"), before \(revision): nothing to downgrade "
                + "(`flexmeasures db upgrade \(revision)` goes forward)"
        case let .alreadyBeyond(path, revision, current):
            return "the database \(path) is at \(current), past \(revision): going back takes `flexmeasures db downgrade \(revision)`"
        case let .downgradeWouldLoseData(path, revision, losses):
            return "going back to \(revision) would drop data that the older schema cannot hold, from \(path):\n  "
                + losses.joined(separator: "\n  ") + "\nnothing was changed"
        case let .downgradeBreaksReferences(path, revision, tables):
            return "going back to \(revision) would leave rows of \(tables.joined(separator: ", ")) in \(path) referring to "
                + "rows that are gone; nothing was changed"
        case let .migrationsOutOfOrder(earlier, later):
            return "the schema lists migration \(later) after \(earlier): identifiers must increase in the order migrations "
                + "apply (give the new migration the next number and put it at the end)"
        }
    }
}
