import API
import BeliefStore
import Foundation
import Testing
import TestSupport
import Site
import SiteDatabase

/// The package's preinst (appliance/debian/preinst) when an older release is installed over this one
/// (`apt install ./older.deb`): dpkg runs the older package's preinst while this release's binary is still
/// installed. The older release is played by @HEAD@ = the migration before this release's newest; paths under
/// /var/lib, /usr/bin and /run are taken to a temporary folder, the binary is the one built, runuser is left out,
/// and systemd is absent.
@Suite struct PackageDowngradeTests {
    static let script = InstalledLayoutTests.repository.appendingPathComponent("appliance/debian/preinst")
    static let identifiers = SiteSchema.migrations.map(\.identifier)

    let file: TemporaryDatabase

    init() throws {
        file = try TemporaryDatabase()
    }

    /// Runs the preinst of a release whose newest migration is `head`, as dpkg would with `arguments`.
    func preinst(head: String, _ arguments: [String]) throws -> CommandRunner.Result {
        var text = try String(contentsOf: Self.script, encoding: .utf8)
        let replacements = [
            "@HEAD@": head,
            "db=/var/lib/flexmeasures/flexmeasures.db": "db='\(file.path)'",
            "installed=/usr/bin/flexmeasures": "installed='\(CommandRunner.binary.path)'",
            "systemd=/run/systemd/system": "systemd='\(file.directory.path)/no-systemd'",
            "restart_list=/run/flexmeasures-preinst.stopped": "restart_list='\(file.directory.path)/stopped'",
            #"as_owner() { runuser -u flexmeasures -- "$@"; }"#: #"as_owner() { "$@"; }"#,
        ]
        for (installed, here) in replacements {
            try #require(text.contains(installed), "the preinst has \(installed)")
            text = text.replacingOccurrences(of: installed, with: here)
        }
        let copy = file.directory.appendingPathComponent("preinst")
        try text.write(to: copy, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [copy.path] + arguments
        process.environment = CommandRunner(database: file.path).processEnvironment()
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CommandRunner.Result(
            exitCode: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self)
        )
    }

    func applied() throws -> [String] {
        try SiteDatabase(path: file.path, migrations: SiteSchema.migrations, policy: .inspectOnly).appliedMigrations()
    }

    var olderHead: String { Self.identifiers[Self.identifiers.count - 2] }

    @Test func aDowngradeThatDropsNoDataIsDoneBeforeTheOlderReleaseIsUnpacked() throws {
        // Data in every table of the older release; the newest migration's table is empty.
        _ = try MigrationRoundTripTests.database(migratedThrough: Self.identifiers.count - 1, at: file.path)
        _ = try SiteDatabase(path: file.path, migrations: SiteSchema.migrations)

        let result = try preinst(head: olderHead, ["upgrade", "99.0.0"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stderr.contains("took the database back to \(olderHead)."))
        #expect(try applied() == Array(Self.identifiers.dropLast()))
        _ = try SiteDatabase(path: file.path, migrations: Array(SiteSchema.migrations.dropLast()))
    }

    @Test func aDowngradeThatWouldDropDataStopsTheInstallationAndSaysWhatToRun() throws {
        _ = try MigrationRoundTripTests.database(migratedThrough: Self.identifiers.count, at: file.path)

        let result = try preinst(head: olderHead, ["upgrade", "99.0.0"])
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("would drop data that the older schema cannot hold"))
        #expect(result.stderr.contains("flexmeasures: not installed"))
        #expect(result.stderr.contains("flexmeasures db downgrade \(olderHead) --force --db \(file.path)"))
        #expect(try applied() == Self.identifiers, "nothing changed")
    }

    @Test(arguments: [
        // A fresh install, a database the older release knows entirely, and an upgrade (the package is newer).
        (["install"], 5, 4), (["upgrade", "99.0.0"], 4, 4), (["upgrade", "0.1.0"], 4, 5),
    ])
    func otherwiseThePreinstLeavesTheDatabaseAlone(arguments: [String], migrated: Int, head: Int) throws {
        _ = try MigrationRoundTripTests.database(migratedThrough: migrated, at: file.path)
        let result = try preinst(head: Self.identifiers[head - 1], arguments)
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(try applied() == Array(Self.identifiers.prefix(migrated)))
    }
}
