import Beliefs

/// A person or a gateway that signs in. The password is kept only as a bcrypt hash; the token secret
/// changes when the password is reset or the user deactivated, which kills every token issued before.
public struct User: Hashable, Sendable {
    public let id: Int64
    public var email: String
    public var username: String
    public var roles: Set<Role>
    public var timezone: String
    public var active: Bool
    public var passwordHash: String
    public var tokenSecret: String
    public var createdAt: Instant
    public var lastLoginAt: Instant?

    public init(
        id: Int64, email: String, username: String, roles: Set<Role>, timezone: String, active: Bool,
        passwordHash: String, tokenSecret: String, createdAt: Instant, lastLoginAt: Instant?
    ) {
        self.id = id
        self.email = email
        self.username = username
        self.roles = roles
        self.timezone = timezone
        self.active = active
        self.passwordHash = passwordHash
        self.tokenSecret = tokenSecret
        self.createdAt = createdAt
        self.lastLoginAt = lastLoginAt
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }
    public var isAdmin: Bool { roles.contains(.admin) }
}

/// What it takes to add a user.
public struct NewUser: Sendable {
    public var username: String
    public var email: String
    public var password: String
    public var roles: [String]
    public var timezone: String

    public init(username: String, email: String, password: String, roles: [String], timezone: String = "UTC") {
        self.username = username
        self.email = email
        self.password = password
        self.roles = roles
        self.timezone = timezone
    }
}
