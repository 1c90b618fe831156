import Beliefs
import Foundation
import GRDB
import Registry
import Synchronization

/// A signed-in console session: its user, the token its forms must carry, and when it ends.
public struct ConsoleSession: Sendable {
    public let user: User
    public let csrfToken: String
    public let expiresAt: Instant
}

/// Why a sign-in was refused. Which of email and password was wrong is not told.
public enum SignInError: Sendable, Hashable {
    case wrongCredentials
    case deactivated
    /// Too many wrong passwords for this email or from this client lately: try again after the wait.
    case throttled(retryAfterSeconds: Int)
}

extension Site {
    /// Checks an email and password (the API's users) and opens a session of `lifetime`; the token goes into
    /// the session cookie and only its hash is stored. Wrong passwords for one email, or from one client,
    /// are slowed down (`SignInThrottle`).
    public func signIn(
        email: String, password: String, client: String, lifetime: Timespan
    ) async throws -> (token: String, session: ConsoleSession) {
        let now = clock()
        if let wait = signInThrottle.wait(email: email, client: client, at: now) {
            throw SiteError(SignInError.throttled(retryAfterSeconds: wait), "Too many wrong passwords: try again in \(wait) seconds.")
        }
        let user = try registry.user(email: email.trimmingCharacters(in: .whitespaces))
        // A user who does not exist costs the same bcrypt time as a wrong password, so timing tells nothing.
        let hash = user?.passwordHash ?? Self.absentUserHash
        let matches = try await runBlocking { PasswordHasher.verify(password, against: hash) }
        guard let user, matches else {
            signInThrottle.failed(email: email, client: client, at: now)
            throw SiteError(SignInError.wrongCredentials, "The email or the password is wrong.")
        }
        guard user.active else {
            throw SiteError(SignInError.deactivated, "The account of \(user.email) is deactivated: ask an administrator.")
        }
        signInThrottle.succeeded(email: email, client: client)
        let token = Self.randomToken()
        let csrf = Self.randomToken()
        let expiresAt = now + lifetime
        let boundedClient = String(client.prefix(200))
        try await store.database.transaction { db in
            try db.execute(
                sql: """
                    INSERT INTO console_session (token_hash, user_id, token_secret, csrf_token, created_us, expires_us, client)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    Data(SHA256.hash(Array(token.utf8))), user.id, user.tokenSecret, csrf,
                    now.microsecondsSinceEpoch, expiresAt.microsecondsSinceEpoch, boundedClient,
                ]
            )
            try db.execute(sql: "UPDATE user SET last_login_at_us = ? WHERE id = ?", arguments: [now.microsecondsSinceEpoch, user.id])
            // Ended sessions go when new ones come, so the table holds only the living (and a few of the dead).
            try db.execute(sql: "DELETE FROM console_session WHERE expires_us <= ?", arguments: [now.microsecondsSinceEpoch])
        }
        return (token, ConsoleSession(user: user, csrfToken: csrf, expiresAt: expiresAt))
    }

    /// Whether `password` is `user`'s (asked again before a password change), counted and slowed down as
    /// sign-ins are: a stolen session does not make a free password oracle.
    public func checkPassword(_ password: String, of user: User, client: String) async throws -> Bool {
        let now = clock()
        if let wait = signInThrottle.wait(email: user.email, client: client, at: now) {
            throw SiteError(SignInError.throttled(retryAfterSeconds: wait), "Too many wrong passwords: try again in \(wait) seconds.")
        }
        let hash = user.passwordHash
        let matches = try await runBlocking { PasswordHasher.verify(password, against: hash) }
        if !matches { signInThrottle.failed(email: user.email, client: client, at: now) }
        return matches
    }

    /// The living session of a cookie's token, or nil (unknown, expired, its user deactivated or their
    /// password changed since).
    public func session(token: String) throws -> ConsoleSession? {
        guard token.utf8.count <= 128 else { return nil }
        let now = clock()
        let hash = Data(SHA256.hash(Array(token.utf8)))
        guard let row = try store.database.pool.read({ db in
            try Row.fetchOne(
                db, sql: "SELECT user_id, token_secret, csrf_token, expires_us FROM console_session WHERE token_hash = ?",
                arguments: [hash]
            )
        }) else { return nil }
        let expiresAt = Instant(microsecondsSinceEpoch: row["expires_us"])
        guard expiresAt > now, let user = try registry.user(id: row["user_id"]), user.active,
              user.tokenSecret == row["token_secret"] as String
        else { return nil }
        return ConsoleSession(user: user, csrfToken: row["csrf_token"], expiresAt: expiresAt)
    }

    /// Ends the session of a cookie's token (logout); nothing happens for an unknown token.
    public func signOut(token: String) async throws {
        let hash = Data(SHA256.hash(Array(token.utf8)))
        try await store.database.transaction { db in
            try db.execute(sql: "DELETE FROM console_session WHERE token_hash = ?", arguments: [hash])
        }
    }

    /// 32 random bytes from the system's generator, base64url without padding.
    public static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// A bcrypt hash of a password nobody has, of the registry's usual cost.
    static let absentUserHash = PasswordHasher.hash(randomToken(), cost: PasswordHasher.defaultCost)
}

/// Counts wrong passwords per email from one client, and per client, in the last quarter hour (per email and
/// client, so that nobody elsewhere can lock the real user out by guessing at their email); after five, each further try
/// must wait twice as long as the one before (2, 4, 8 ... seconds, at most five minutes). Held in memory: a
/// restart forgets, which costs an attacker a restart per five guesses. Bounded: the oldest entries go first.
public final class SignInThrottle: Sendable {
    struct Record {
        var failures: Int
        var lastFailure: Instant
    }

    static let freeFailures = 5
    static let window = Timespan.minutes(15)
    static let longestWait = 300
    static let maximumEntries = 10_000

    private let records = Mutex<[String: Record]>([:])

    public init() {}

    func wait(email: String, client: String, at now: Instant) -> Int? {
        records.withLock { records in
            let waits = [Self.key(email: email, client: client), Self.key(client: client)].compactMap { key -> Int? in
                guard let record = records[key], now - record.lastFailure < Self.window else { return nil }
                let extra = record.failures - Self.freeFailures
                guard extra >= 0 else { return nil }
                let wait = min(Self.longestWait, 1 << min(extra + 1, 20))
                let remaining = Timespan.seconds(Int64(wait)) - (now - record.lastFailure)
                return remaining.microseconds > 0 ? Int((remaining.microseconds + 999_999) / 1_000_000) : nil
            }
            return waits.max()
        }
    }

    func failed(email: String, client: String, at now: Instant) {
        records.withLock { records in
            if records.count >= Self.maximumEntries {
                let expired = records.filter { now - $0.value.lastFailure >= Self.window }.map(\.key)
                for key in expired { records[key] = nil }
                if records.count >= Self.maximumEntries, let oldest = records.min(by: { $0.value.lastFailure < $1.value.lastFailure }) {
                    records[oldest.key] = nil
                }
            }
            for key in [Self.key(email: email, client: client), Self.key(client: client)] {
                var record = records[key] ?? Record(failures: 0, lastFailure: now)
                if now - record.lastFailure >= Self.window { record.failures = 0 }
                record.failures += 1
                record.lastFailure = now
                records[key] = record
            }
        }
    }

    func succeeded(email: String, client: String) {
        records.withLock { records in records[Self.key(email: email, client: client)] = nil }
    }

    static func key(email: String, client: String) -> String {
        "email:" + email.trimmingCharacters(in: .whitespaces).lowercased().prefix(320) + " from:" + client.prefix(200)
    }
    static func key(client: String) -> String { "client:" + client.prefix(200) }
}
