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
        return try write { db in
            guard let user = try Self.fetchUser(db, where: "id = ?", id) else {
                throw RegistryError.notFound(entity: "user", key: "id \(id)")
            }
            try Self.checkUnique(email: changes.email, username: changes.username, excluding: id, in: db)
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
            if let roles { try Self.setRoles(roles, ofUser: id, in: db) }
            return try Self.fetchUser(db, where: "id = ?", id)!
        }
    }

    /// Sets a random password the user does not know and kills their access tokens; they need an
    /// administrator to set a new one (`flexmeasures add user` again, or a future password command).
    public func resetPassword(id: Int64) throws -> User {
        try storePassword(hash: PasswordHasher.hash(Self.randomSecret(), cost: bcryptCost), ofUser: id)
    }

    /// Sets a user's new password (checked as `addUser` checks one) and a new token secret: their access
    /// tokens and console sessions end with the old password.
    public func setPassword(id: Int64, to password: String) throws -> User {
        if let problem = PasswordHasher.problem(with: password) {
            throw RegistryError.invalid([FieldError("password", "The password \(problem).")])
        }
        return try storePassword(hash: PasswordHasher.hash(password, cost: bcryptCost), ofUser: id)
    }

    /// Stores a password hash with a new token secret (ending the user's tokens and sessions).
    private func storePassword(hash: String, ofUser id: Int64) throws -> User {
        try write { db in
            try db.execute(
                sql: "UPDATE user SET password_hash = ?, token_secret = ? WHERE id = ?",
                arguments: [hash, Self.randomSecret(), id]
            )
            guard let user = try Self.fetchUser(db, where: "id = ?", id) else {
                throw RegistryError.notFound(entity: "user", key: "id \(id)")
            }
            return user
        }
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
