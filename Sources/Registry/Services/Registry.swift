import GRDB
import SiteDatabase

/// Users, roles, assets, markets, weather sensors and their types, with the validation that the CLI
/// and the API share. Every change runs in one write transaction: it is applied whole or not at all.
public final class Registry: Sendable {
    public let database: SiteDatabase
    /// bcrypt's cost factor (log2 of the rounds). 12 by default; lower only for tests and tiny hardware.
    public let bcryptCost: UInt8

    public init(database: SiteDatabase, bcryptCost: UInt8 = PasswordHasher.defaultCost) {
        self.database = database
        self.bcryptCost = bcryptCost
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try database.pool.read(body)
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try database.write(body)
    }
}
