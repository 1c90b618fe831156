import BeliefStore
import Beliefs
import Foundation
import Jobs
import Registry
import Site
import SiteDatabase
import Testing
import TestSupport

/// `flexmeasures add demo-site`, run as a process against a temporary database.
@Suite struct DemoSiteCLITests {
    let file: TemporaryDatabase
    let cli: CommandRunner

    init() throws {
        file = try TemporaryDatabase()
        cli = CommandRunner(database: file.path)
    }

    func database() throws -> SiteDatabase {
        try SiteDatabase(path: file.path, migrations: SiteSchema.migrations)
    }

    @Test func theCommandExplainsItselfAndIsListedUnderAdd() throws {
        let help = try cli.run(["add", "demo-site", "--help"], withDatabase: false)
        #expect(help.exitCode == 0)
        #expect(help.stdout.contains("--weeks") && help.stdout.contains("--email") && help.stdout.contains("--password"))
        #expect(try cli.run(["add", "--help"], withDatabase: false).stdout.contains("demo-site"))
    }

    @Test func addDemoSiteMakesALivingSiteAndSaysHowToSignIn() async throws {
        let result = try cli.run(["add", "demo-site", "--weeks", "1"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Account: demo@flexmeasures.local"))
        #expect(result.stdout.contains("(generated; keep it)"))
        #expect(result.stdout.contains("http://127.0.0.1:5000/"))
        #expect(result.stdout.contains("Queued 8 forecasting jobs"))
        let database = try database()
        let registry = Registry(database: database, bcryptCost: 4)
        let assets = try registry.assets()
        #expect(assets.count == 7)
        // The printed password is the account's.
        let line = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("Account:") })
        let password = try #require(line.split(separator: "password: ").last?.split(separator: " ").first)
        let user = try #require(try registry.user(email: "demo@flexmeasures.local"))
        #expect(PasswordHasher.verify(String(password), against: user.passwordHash))
        // A week of quarter hours up to now for the PV.
        let pv = try #require(try registry.asset(named: DemoSiteLayout.pvName))
        let now = Instant.now()
        let stored = try BeliefStore(database: database).beliefs(sensorID: pv.id, from: now - .days(30), to: now + .days(1))
        #expect(stored.count == 7 * 96)
        #expect(try #require(stored.map(\.eventStart).max()) >= now.floored(to: .minutes(15)) - .minutes(30))
        let jobs = JobQueue(database: database)
        #expect(try await jobs.jobs(queue: .forecasting, status: .queued).count == 8)
        #expect(try await jobs.jobs(queue: .scheduling, status: .queued).count == 1)
    }

    @Test func aGivenPasswordAndEmailAreUsed() throws {
        let result = try cli.run(["add", "demo-site", "--weeks", "1", "--email", "hub@example.com", "--password", "hub-password"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("generated"))
        let user = try #require(try Registry(database: try database()).user(email: "hub@example.com"))
        #expect(PasswordHasher.verify("hub-password", against: user.passwordHash))
    }

    @Test func aSecondDemoSiteIsAUsageError() throws {
        #expect(try cli.run(["add", "demo-site", "--weeks", "1"]).exitCode == 0)
        let second = try cli.run(["add", "demo-site", "--weeks", "1"])
        #expect(second.exitCode == 2)
        #expect(second.stderr.contains("holds a demo site already"))
    }

    @Test(arguments: ["0", "9"])
    func weeksBeyondTheShippedDataAreAUsageError(weeks: String) throws {
        let result = try cli.run(["add", "demo-site", "--weeks", weeks])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("--weeks"))
        #expect(try Registry(database: try database()).users().isEmpty)
    }

    @Test func aShortPasswordIsAUsageErrorNamingTheFlag() throws {
        let result = try cli.run(["add", "demo-site", "--weeks", "1", "--password", "short"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("--password"))
        #expect(try Registry(database: try database()).users().isEmpty)
    }
}
