import BeliefStore
import Beliefs
import GRDB
@testable import Registry
import Testing

@Suite struct UserTests {
    @Test func passwordIsStoredAsABcryptHashThatVerifies() throws {
        let fixture = try RegistryFixture()
        let stored = try #require(try fixture.registry.user(id: fixture.prosumer.id))
        #expect(stored.passwordHash.hasPrefix("$2"))
        #expect(!stored.passwordHash.contains("correct horse"))
        #expect(PasswordHasher.verify("correct horse", against: stored.passwordHash))
        #expect(!PasswordHasher.verify("wrong horse", against: stored.passwordHash))
    }

    @Test func rolesAreParsedCaseInsensitivelyAndDeduplicated() throws {
        let fixture = try RegistryFixture()
        let user = try fixture.registry.addUser(NewUser(
            username: "ops", email: "ops@example.com", password: "12345678", roles: ["ADMIN", "prosumer", " MDC ", "admin"]
        ))
        #expect(user.roles == [.admin, .prosumer, .mdc])
        #expect(try fixture.registry.user(email: "ops@example.com")?.roles == [.admin, .prosumer, .mdc])
    }

    @Test func aUserGetsADataSource() throws {
        let fixture = try RegistryFixture()
        let sources = try fixture.registry.database.pool.read { db in try SensorCatalog.sources(in: db) }
        #expect(sources.contains { $0.userID == fixture.prosumer.id && $0.type == .user && $0.name == "owner" })
    }

    @Test func newUsersAreActiveWithADistinctTokenSecret() throws {
        let fixture = try RegistryFixture()
        let other = try fixture.registry.addUser(NewUser(username: "b", email: "b@example.com", password: "12345678", roles: []))
        #expect(other.active)
        #expect(other.tokenSecret.count == 64)
        #expect(other.tokenSecret != fixture.prosumer.tokenSecret)
        #expect(other.roles.isEmpty)
    }

    struct InvalidUser: Sendable, CustomTestStringConvertible {
        let label: String
        let user: NewUser
        let field: String
        var testDescription: String { label }
    }

    static let invalidUsers: [InvalidUser] = [
        .init(label: "empty username", user: NewUser(username: " ", email: "x@example.com", password: "12345678", roles: []), field: "username"),
        .init(label: "email without @", user: NewUser(username: "x", email: "example.com", password: "12345678", roles: []), field: "email"),
        .init(label: "email without domain dot", user: NewUser(username: "x", email: "x@localhost", password: "12345678", roles: []), field: "email"),
        .init(label: "email with space", user: NewUser(username: "x", email: "x y@example.com", password: "12345678", roles: []), field: "email"),
        .init(label: "short password", user: NewUser(username: "x", email: "x@example.com", password: "1234567", roles: []), field: "password"),
        .init(label: "unknown role", user: NewUser(username: "x", email: "x@example.com", password: "12345678", roles: ["CPO"]), field: "roles"),
        .init(label: "unknown timezone", user: NewUser(username: "x", email: "x@example.com", password: "12345678", roles: [], timezone: "Mars/Olympus"), field: "timezone"),
        .init(label: "duplicate email, other case", user: NewUser(username: "x", email: "OWNER@example.com", password: "12345678", roles: []), field: "email"),
        .init(label: "duplicate username", user: NewUser(username: "owner", email: "x@example.com", password: "12345678", roles: []), field: "username"),
    ]

    @Test(arguments: invalidUsers)
    func invalidUsersAreRefusedAndNothingIsWritten(_ invalid: InvalidUser) throws {
        let fixture = try RegistryFixture()
        #expect(refusedFields { _ = try fixture.registry.addUser(invalid.user) } == [invalid.field])
        #expect(try fixture.registry.users(includeInactive: true).count == 1)
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        let fixture = try RegistryFixture()
        let fields = refusedFields {
            _ = try fixture.registry.addUser(NewUser(username: "", email: "nope", password: "x", roles: ["boss"], timezone: "Nowhere"))
        }
        #expect(fields == ["username", "email", "password", "roles", "timezone"])
    }

    @Test func deleteUserRemovesTheirAssetsAndSensorsButNotOthers() throws {
        let fixture = try RegistryFixture()
        let mine = try fixture.registry.addAsset(fixture.batteryFields(name: "mine"))
        let other = try fixture.registry.addUser(NewUser(username: "o2", email: "o2@example.com", password: "12345678", roles: ["Prosumer"]))
        var theirs = fixture.batteryFields(name: "theirs")
        theirs.ownerID = other.id
        let kept = try fixture.registry.addAsset(theirs)

        #expect(try fixture.registry.deleteUser(id: fixture.prosumer.id) == [mine.id])
        #expect(try fixture.registry.user(id: fixture.prosumer.id) == nil)
        #expect(try fixture.registry.asset(id: mine.id) == nil)
        #expect(try fixture.registry.asset(id: kept.id) != nil)
        let shape = try fixture.registry.database.pool.read { db in try SensorCatalog.sensorShape(id: mine.id, in: db) }
        #expect(shape == nil)
    }

    @Test func deletingAnUnknownUserIsNotFound() throws {
        let fixture = try RegistryFixture()
        #expect(throws: RegistryError.notFound(entity: "user", key: "id 99")) {
            try fixture.registry.deleteUser(id: 99)
        }
    }

    @Test func inactiveUsersAreListedOnlyOnRequest() throws {
        let fixture = try RegistryFixture()
        try fixture.registry.database.pool.write { db in try db.execute(sql: "UPDATE user SET active = 0") }
        #expect(try fixture.registry.users().isEmpty)
        #expect(try fixture.registry.users(includeInactive: true).count == 1)
    }
}
