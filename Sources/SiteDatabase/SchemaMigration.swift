import GRDB

/// One numbered schema change and its way back. Identifiers sort in application order ("0001_sensors", ...)
/// and are recorded in the database, so a migration runs once and a database knows which ones it has seen.
///
/// `revert` takes the schema back to what it was before `apply`; `losses` says, before anything changes,
/// what `revert` would throw away because the older schema has no place for it (rows of a table it drops,
/// values of a column it drops), in words for an operator: `db downgrade` refuses while that is not empty,
/// unless forced.
public struct SchemaMigration: Sendable {
    public let identifier: String
    /// What the migration does, in one line (`flexmeasures db history` prints it).
    public let summary: String
    public let apply: @Sendable (Database) throws -> Void
    public let revert: @Sendable (Database) throws -> Void
    public let losses: @Sendable (Database) throws -> [String]

    public init(
        _ identifier: String,
        summary: String,
        apply: @escaping @Sendable (Database) throws -> Void,
        revert: @escaping @Sendable (Database) throws -> Void,
        losses: @escaping @Sendable (Database) throws -> [String]
    ) {
        self.identifier = identifier
        self.summary = summary
        self.apply = apply
        self.revert = revert
        self.losses = losses
    }
}
