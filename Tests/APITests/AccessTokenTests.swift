@testable import API
import Beliefs
import Registry
import Testing

@Suite struct AccessTokenTests {
    static let user = User(
        id: 7, email: "gw@example.com", username: "gw", roles: [.mdc], timezone: "UTC", active: true,
        passwordHash: "x", tokenSecret: "s1", createdAt: .epoch, lastLoginAt: nil
    )
    let tokens = AccessToken(secretKey: Array("key".utf8), maximumAge: .hours(6))
    let now = Instant(secondsSinceEpoch: 1_700_000_000)

    @Test func aFreshTokenIsValidForItsUser() throws {
        let token = tokens.issue(for: Self.user, at: now)
        #expect(AccessToken.claimedUserID(token) == 7)
        try tokens.verify(token, for: Self.user, at: now + .hours(5))
    }

    @Test func tokensExpire() {
        let token = tokens.issue(for: Self.user, at: now)
        #expect(throws: AccessToken.Rejection.expired) { try tokens.verify(token, for: Self.user, at: now + .hours(6) + .seconds(1)) }
    }

    @Test func aNewTokenSecretOrDeactivationKillsOldTokens() {
        let token = tokens.issue(for: Self.user, at: now)
        var reset = Self.user
        reset.tokenSecret = "s2"
        #expect(throws: AccessToken.Rejection.revoked) { try tokens.verify(token, for: reset, at: now) }
        var inactive = Self.user
        inactive.active = false
        #expect(throws: AccessToken.Rejection.revoked) { try tokens.verify(token, for: inactive, at: now) }
    }

    @Test func anotherKeyOrATamperedTokenIsRefused() {
        let token = tokens.issue(for: Self.user, at: now)
        let other = AccessToken(secretKey: Array("other".utf8), maximumAge: .hours(6))
        #expect(throws: AccessToken.Rejection.revoked) { try other.verify(token, for: Self.user, at: now) }
        let laterIssue = token.replacingOccurrences(of: ".\(now.microsecondsSinceEpoch / 1_000_000).", with: ".\(now.microsecondsSinceEpoch / 1_000_000 + 3600).")
        #expect(throws: AccessToken.Rejection.revoked) { try tokens.verify(laterIssue, for: Self.user, at: now) }
        #expect(throws: AccessToken.Rejection.malformed) { try tokens.verify("garbage", for: Self.user, at: now) }
    }
}
