/// Why the site database could not be opened or upgraded.
public enum SiteDatabaseError: Error, Equatable, CustomStringConvertible {
    /// The file was written by a newer release; these migrations are unknown to this one.
    case newerSchema(path: String, unknownMigrations: [String])
    /// The file has migrations pending and the caller asked not to apply them.
    case notUpgraded(path: String, pendingMigrations: [String])
    /// The folder for the database file could not be created.
    case cannotCreateDirectory(path: String, reason: String)
    /// The lock file that makes processes take turns writing could not be opened.
    case cannotLock(path: String, reason: String)

    public var description: String {
        switch self {
        case let .newerSchema(path, unknown):
            return "the database \(path) has a newer schema than this flexmeasures (unknown migrations: "
                + "\(unknown.joined(separator: ", "))); upgrade flexmeasures or use another database"
        case let .notUpgraded(path, pending):
            return "the database \(path) needs `flexmeasures db upgrade` (pending: \(pending.joined(separator: ", ")))"
        case let .cannotCreateDirectory(path, reason):
            return "cannot create the folder \(path) for the database: \(reason)"
        case let .cannotLock(path, reason):
            return "cannot open the writers' lock file \(path): \(reason); the database's folder must be writable"
        }
    }
}
