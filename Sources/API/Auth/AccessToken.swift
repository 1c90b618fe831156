import Beliefs
import Foundation
import Registry
import Site

/// Access tokens: `<user id>.<issued at, seconds>.<HMAC-SHA256>` where the MAC covers the id, the
/// time and the user's token secret, keyed with `SECRET_KEY`. Nothing is stored per token; a token
/// dies when it ages past the maximum, when the user is deactivated, or when their token secret
/// changes (a password reset).
public struct AccessToken: Sendable {
    let key: [UInt8]
    let maximumAge: Timespan

    public init(secretKey: [UInt8], maximumAge: Timespan) {
        key = secretKey
        self.maximumAge = maximumAge
    }

    public func issue(for user: User, at now: Instant) -> String {
        let issuedAt = now.microsecondsSinceEpoch / 1_000_000
        return "\(user.id).\(issuedAt).\(mac(userID: user.id, issuedAt: issuedAt, tokenSecret: user.tokenSecret))"
    }

    /// The user id the token claims, before it is checked against the user.
    public static func claimedUserID(_ token: String) -> Int64? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        return canonicalNumber(parts[0])
    }

    /// A whole number spelled as `issue` spells it (digits, no sign, no leading zero): one token, one text.
    static func canonicalNumber(_ text: Substring) -> Int64? {
        guard let number = Int64(text), number >= 0, String(number) == text else { return nil }
        return number
    }

    /// The latest issue time a token may state (the end of 9999, in seconds): its age is then plain arithmetic.
    static let latestIssue: Int64 = 253_402_300_799

    /// Why a token is not accepted, as the 401 answer says it.
    public enum Rejection: Error, Equatable {
        case malformed, expired, revoked
    }

    /// Checks a token against its user; returns nothing when it is valid.
    public func verify(_ token: String, for user: User, at now: Instant) throws(Rejection) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let userID = Self.canonicalNumber(parts[0]), userID == user.id,
              let issuedAt = Self.canonicalNumber(parts[1]), issuedAt <= Self.latestIssue else {
            throw .malformed
        }
        let expected = mac(userID: userID, issuedAt: issuedAt, tokenSecret: user.tokenSecret)
        guard constantTimeEqual(Array(parts[2].utf8), Array(expected.utf8)) else { throw .revoked }
        let age = now - Instant(secondsSinceEpoch: issuedAt)
        guard age <= maximumAge, age >= -Timespan.minutes(5) else { throw .expired }
        guard user.active else { throw .revoked }
    }

    private func mac(userID: Int64, issuedAt: Int64, tokenSecret: String) -> String {
        let code = HMACSHA256.authenticationCode(for: Array("\(userID).\(issuedAt).\(tokenSecret)".utf8), key: key)
        return Data(code).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
