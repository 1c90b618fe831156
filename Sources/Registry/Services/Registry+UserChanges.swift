import BeliefStore
import Beliefs
import Foundation
import GRDB

/// Changes to a user; nil fields stay as they are.
public struct UserChanges: Sendable {
    public var email: String?
    public var username: String?
    public var active: Bool?
    public var timezone: String?
    public var roles: [String]?

    public init(email: String? = nil, username: String? = nil, active: Bool? = nil, timezone: String? = nil, roles: [String]? = nil) {
        self.email = email
        self.username = username
        self.active = active
        self.timezone = timezone
        self.roles = roles
    }
}

extension Registry {
    /// Validates and applies changes to a user. Deactivating a user kills their access tokens.
    public func updateUser(id: Int64, _ changes: UserChanges) throws -> User {
        var rules = FieldRules()
        if let email = changes.email, !Self.looksLikeEmail(email) { rules.fail("email", "'\(email)' is not an email address") }
        if let username = changes.username { rules.requireText(username, field: "username") }
        if let timezone = changes.timezone { rules.requireTimezone(timezone) }
        let roles = changes.roles.map { Self.parseRoles($0, into: &rules) }
        try rules.check()
        try write { db in
            guard let user = try Self.fetchUser(db, where: "id = ?", id) else {
                throw RegistryError.notFound(entity: "user", key: "id \(id)")
            }
            var uniqueness = FieldRules()
            if let email = changes.email,
               let other = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM user WHERE email = ?"), arguments: [email]), other != id {
                uniqueness.fail("email", "'\(email)' is already used by user \(other)")
            }
            if let username = changes.username,
               let other = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM user WHERE username = ?"), arguments: [username]), other != id {
                uniqueness.fail("username", "'\(username)' is already used by user \(other)")
            }
            try uniqueness.check()
            let deactivated = changes.active == false && user.active
            try db.execute(
                sql: """
                    UPDATE user SET email = ?, username = ?, active = ?, timezone = ?, token_secret = ? WHERE id = ?
                    """,
                arguments: [
                    changes.email ?? user.email, changes.username ?? user.username, changes.active ?? user.active,
                    changes.timezone ?? user.timezone, deactivated ? Self.randomSecret() : user.tokenSecret, id,
                ]
            )
            if let roles {
                try db.execute(sql: "DELETE FROM user_role WHERE user_id = ?", arguments: [id])
                for role in roles {
                    try db.execute(
                        sql: "INSERT INTO user_role (user_id, role_id) SELECT ?, id FROM role WHERE name = ?",
                        arguments: [id, role.rawValue]
                    )
                }
            }
        }
        return try user(id: id)!
    }

    /// Sets a random password the user does not know and kills their access tokens; they need an
    /// administrator to set a new one (`flexmeasures add user` again, or a future password command).
    public func resetPassword(id: Int64) throws -> User {
        var generator = SystemRandomNumberGenerator()
        let password = (0..<4).map { _ in String(generator.next() as UInt64, radix: 36) }.joined()
        let hash = PasswordHasher.hash(password, cost: bcryptCost)
        try write { db in
            guard try Self.fetchUser(db, where: "id = ?", id) != nil else {
                throw RegistryError.notFound(entity: "user", key: "id \(id)")
            }
            try db.execute(
                sql: "UPDATE user SET password_hash = ?, token_secret = ? WHERE id = ?",
                arguments: [hash, Self.randomSecret(), id]
            )
        }
        return try user(id: id)!
    }

    /// The role table's ids (the v2.0 user resource lists roles by id).
    public func roleIDs() throws -> [Role: Int64] {
        try read { db in
            var ids: [Role: Int64] = [:]
            for row in try Row.fetchAll(db.cachedStatement(sql: "SELECT id, name FROM role")) {
                if let role = Role(rawValue: row["name"]) { ids[role] = row["id"] }
            }
            return ids
        }
    }
}
