import GRDB

/// One numbered schema change. Identifiers sort in application order ("0001_sensors", ...) and are
/// recorded in the database, so a migration runs once and a database knows which ones it has seen.
public struct SchemaMigration: Sendable {
    public let identifier: String
    public let apply: @Sendable (Database) throws -> Void

    public init(_ identifier: String, apply: @escaping @Sendable (Database) throws -> Void) {
        self.identifier = identifier
        self.apply = apply
    }
}
