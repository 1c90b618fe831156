import API
import BeliefStore
import Foundation
import Testing
import TestSupport
import Site
import SiteDatabase

/// `flexmeasures db ...`: the migration history, run as a process against a temporary database.
@Suite struct DBCommandTests {
    let file: TemporaryDatabase
    let cli: CommandRunner

    init() throws {
        file = try TemporaryDatabase()
        cli = CommandRunner(database: file.path)
    }

    static let identifiers = SiteSchema.migrations.map(\.identifier)

    /// A site with structure and a user: rows in the registry's tables, none in the jobs' and UDI events'.
    func prepareSite() throws {
        try #require(cli.run(["add", "structure"]).exitCode == 0)
        try #require(cli.run(["add", "user", "--username", "owner", "--email", "owner@example.com",
                              "--roles", "Prosumer", "--password", "correct horse"]).exitCode == 0)
    }

    func current() throws -> String {
        try cli.run(["db", "current"]).stdout.split(separator: "\n").first.map(String.init) ?? ""
    }

    @Test func historyListsEveryMigrationWithItsStateAndWhatItDoes() throws {
        try #require(cli.run(["db", "upgrade", "0003"]).exitCode == 0)
        let history = try cli.run(["db", "history"])
        #expect(history.exitCode == 0)
        let lines = history.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == SiteSchema.migrations.count)
        for (line, migration) in zip(lines, SiteSchema.migrations) {
            #expect(line.hasPrefix(migration.identifier + " "))
            #expect(line.hasSuffix("  " + migration.summary))
        }
        let states = lines.map { $0.split(separator: " ", omittingEmptySubsequences: true)[1] }
        #expect(states == ["applied", "applied", "current"] + Array(repeating: "pending", count: SiteSchema.migrations.count - 3))
    }

    @Test func headsNamesTheNewestMigrationOfTheRelease() throws {
        let heads = try cli.run(["db", "heads"], withDatabase: false)
        #expect(heads.exitCode == 0)
        #expect(heads.stdout == Self.identifiers.last! + "\n")
    }

    @Test func downgradeWithoutARevisionUndoesTheNewestMigration() throws {
        try prepareSite()
        let result = try cli.run(["db", "downgrade"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let newest = Self.identifiers.count - 1
        #expect(result.stdout.contains("Reverted \(Self.identifiers[newest]): "))
        #expect(result.stdout.contains("is at \(Self.identifiers[newest - 1]) now."))
        #expect(try current() == Self.identifiers[newest - 1])
    }

    @Test func downgradeThatWouldDropDataIsRefusedUnlessForced() throws {
        try prepareSite()
        let refused = try cli.run(["db", "downgrade", "0001"])
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains("would drop data that the older schema cannot hold"))
        #expect(refused.stderr.contains("1 row in table user (0002_registry)"))
        #expect(refused.stderr.contains("7 rows in table asset_type (0002_registry)"))
        #expect(refused.stderr.contains("--force"))
        #expect(try current() == Self.identifiers.last!, "nothing changed")

        let forced = try cli.run(["db", "downgrade", "0001", "--force"])
        #expect(forced.exitCode == 0, "\(forced.stderr)")
        #expect(forced.stdout.contains("Dropped 1 row in table user (0002_registry)."))
        #expect(forced.stdout.contains("is at 0001_sensors_and_sources now."))
        #expect(try current() == "0001_sensors_and_sources")

        let upgraded = try cli.run(["db", "upgrade"])
        #expect(upgraded.stdout == Self.identifiers.dropFirst().map { "Applied \($0).\n" }.joined())
        #expect(try cli.run(["add", "structure"]).stdout.contains("Added asset type battery."), "the registry is empty again")
    }

    @Test func downgradeToBaseUndoesEveryMigration() throws {
        let result = try cli.run(["db", "downgrade", "base"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(try current() == "(no migrations applied)")
        #expect(try cli.run(["db", "downgrade"]).stdout.contains("is at base already: nothing to downgrade."))
    }

    @Test(arguments: [
        (["db", "downgrade", "0042"], "no migration '0042'"),
        (["db", "downgrade", "000"], "names more than one migration"),
        (["db", "upgrade", "0001"], "going back takes `flexmeasures db downgrade 0001_sensors_and_sources`"),
    ])
    func revisionsThatCannotBeReachedAreRefused(arguments: [String], message: String) throws {
        try #require(cli.run(["db", "upgrade"]).exitCode == 0)
        let result = try cli.run(arguments)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(try current() == Self.identifiers.last!)
    }

    @Test func theOlderReleaseOpensTheDowngradedFileAndNamesTheRevisionBeforeIt() throws {
        try prepareSite()
        let older = Array(SiteSchema.migrations.dropLast())
        #expect(throws: SiteDatabaseError.newerSchema(
            path: file.path, unknownMigrations: [Self.identifiers.last!], newestKnown: older.last!.identifier
        )) {
            _ = try SiteDatabase(path: file.path, migrations: older)
        }
        #expect(SiteDatabaseError.newerSchema(path: "f", unknownMigrations: ["x"], newestKnown: "0004_jobs").description
            .contains("`flexmeasures db downgrade 0004_jobs`"))

        try #require(cli.run(["db", "downgrade", older.last!.identifier]).exitCode == 0)
        let site = try SiteDatabase(path: file.path, migrations: older)
        try site.requireCurrentSchema()
        #expect(try site.appliedMigrations() == older.map(\.identifier))
    }

    @Test(arguments: [["db", "init"], ["db", "migrate"], ["db", "migrate", "--message", "what changed"]])
    func initAndMigrateSayThatTheApplianceShipsItsMigrations(arguments: [String]) throws {
        let result = try cli.run(arguments, withDatabase: false)
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("ships its migrations"))
        #expect(result.stderr.contains("`flexmeasures db upgrade`"))
    }
}
