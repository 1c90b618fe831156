import Foundation
import BeliefStore
import Beliefs
import GRDB

extension Registry {
    /// Adds a user with a bcrypt-hashed password and their data source.
    public func addUser(_ new: NewUser) throws -> User {
        var rules = FieldRules()
        rules.requireText(new.username, field: "username")
        rules.requireText(new.email, field: "email")
        if !new.email.isEmpty && !Self.looksLikeEmail(new.email) {
            rules.fail("email", "'\(new.email)' is not an email address")
        }
        if let problem = PasswordHasher.problem(with: new.password) {
            rules.fail("password", problem)
        }
        let roles = Self.parseRoles(new.roles, into: &rules)
        rules.requireTimezone(new.timezone)
        try rules.check()

        let passwordHash = PasswordHasher.hash(new.password, cost: bcryptCost)
        let now = Instant.now()
        return try write { db in
            try Self.checkUnique(email: new.email, username: new.username, excluding: nil, in: db)

            let tokenSecret = Self.randomSecret()
            try db.execute(
                sql: """
                    INSERT INTO user (email, username, password_hash, timezone, active, token_secret, created_at_us)
                    VALUES (?, ?, ?, ?, 1, ?, ?)
                    """,
                arguments: [new.email, new.username, passwordHash, new.timezone, tokenSecret, now.microsecondsSinceEpoch]
            )
            let id = db.lastInsertedRowID
            try Self.setRoles(roles, ofUser: id, in: db)
            _ = try SensorCatalog.userSource(userID: id, name: new.username, in: db)
            return User(
                id: id, email: new.email, username: new.username, roles: Set(roles), timezone: new.timezone,
                active: true, passwordHash: passwordHash, tokenSecret: tokenSecret, createdAt: now, lastLoginAt: nil
            )
        }
    }

    /// Refuses an email or username another user (not `id`) has.
    static func checkUnique(email: String?, username: String?, excluding id: Int64?, in db: Database) throws {
        var uniqueness = FieldRules()
        if let email, let other = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM user WHERE email = ?"), arguments: [email]),
           other != id {
            uniqueness.fail("email", "'\(email)' is already used by user \(other)")
        }
        if let username,
           let other = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM user WHERE username = ?"), arguments: [username]),
           other != id {
            uniqueness.fail("username", "'\(username)' is already used by user \(other)")
        }
        try uniqueness.check()
    }

    /// Gives a user exactly these roles.
    static func setRoles(_ roles: [Role], ofUser id: Int64, in db: Database) throws {
        try db.execute(sql: "DELETE FROM user_role WHERE user_id = ?", arguments: [id])
        for role in roles {
            try db.execute(sql: "INSERT INTO user_role (user_id, role_id) SELECT ?, id FROM role WHERE name = ?", arguments: [id, role.rawValue])
        }
    }

    public func user(id: Int64) throws -> User? {
        try read { db in try Self.fetchUser(db, where: "id = ?", id) }
    }

    public func user(email: String) throws -> User? {
        try read { db in try Self.fetchUser(db, where: "email = ?", email) }
    }

    /// Users by id; inactive ones only when asked for.
    public func users(includeInactive: Bool = false) throws -> [User] {
        try read { db in
            let ids = try Int64.fetchAll(
                db, sql: "SELECT id FROM user \(includeInactive ? "" : "WHERE active = 1") ORDER BY id"
            )
            return try ids.compactMap { try Self.fetchUser(db, where: "id = ?", $0) }
        }
    }

    /// Deletes a user together with their assets (and so the assets' beliefs); their data source stays,
    /// unlinked, so that beliefs they posted about other sensors keep a source. Returns the deleted asset ids.
    @discardableResult
    public func deleteUser(id: Int64) throws -> [SensorID] {
        try write { db in try Self.deleteUser(id: id, in: db) }
    }

    /// `deleteUser`, in the caller's transaction.
    @discardableResult
    public static func deleteUser(id: Int64, in db: Database) throws -> [SensorID] {
        guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM user WHERE id = ?)"), arguments: [id]) == true else {
            throw RegistryError.notFound(entity: "user", key: "id \(id)")
        }
        let assetIDs = try assetIDs(ownedBy: id, in: db)
        try SensorCatalog.deleteSensors(ids: assetIDs, in: db)
        try SensorCatalog.detachUserSource(userID: id, in: db)
        try db.execute(sql: "DELETE FROM user WHERE id = ?", arguments: [id])
        return assetIDs
    }

    /// The ids of a user's assets, ascending.
    public static func assetIDs(ownedBy id: Int64, in db: Database) throws -> [SensorID] {
        try SensorID.fetchAll(db.cachedStatement(sql: "SELECT id FROM asset WHERE owner_id = ? ORDER BY id"), arguments: [id])
    }

    static func fetchUser(_ db: Database, where condition: String, _ key: any DatabaseValueConvertible) throws -> User? {
        // `condition` is one of a few fixed strings, so the cached statements stay few.
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM user WHERE \(condition)"), arguments: [key]) else {
            return nil
        }
        let id: Int64 = row["id"]
        let roleNames = try String.fetchAll(db.cachedStatement(sql: "SELECT role.name FROM user_role JOIN role ON role.id = user_role.role_id WHERE user_id = ?"),
            arguments: [id]
        )
        return User(
            id: id, email: row["email"], username: row["username"], roles: Set(roleNames.compactMap(Role.init(rawValue:))),
            timezone: row["timezone"], active: row["active"], passwordHash: row["password_hash"],
            tokenSecret: row["token_secret"], createdAt: Instant(microsecondsSinceEpoch: row["created_at_us"]),
            lastLoginAt: (row["last_login_at_us"] as Int64?).map(Instant.init(microsecondsSinceEpoch:))
        )
    }

    static func parseRoles(_ names: [String], into rules: inout FieldRules) -> [Role] {
        var roles: [Role] = []
        for name in names where !name.trimmingCharacters(in: .whitespaces).isEmpty {
            if let role = Role(named: name) {
                if !roles.contains(role) { roles.append(role) }
            } else {
                let known = Role.allCases.map(\.rawValue).joined(separator: ", ")
                rules.fail("roles", "unknown role '\(name)'; known roles: \(known)")
            }
        }
        return roles
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else { return false }
        return !text.contains(where: { $0.isWhitespace })
    }

    static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
