import Beliefs
import Foundation
import Site
import Testing
import TestSupport

/// restoreData through the site: a named backup folder replaces every belief; a name that is a path, a
/// folder that is not there or rows the site cannot hold are refused and change nothing.
@Suite struct BackupRestoreTests {
    /// A test site whose backup directory is `backups`, with one price stored.
    static func site(_ backups: TemporaryDatabase) async throws -> TestSite {
        var settings = Site.Settings()
        settings.backupDirectory = backups.directory.path
        let test = try TestSite(settings: settings)
        try await test.site.ingest(
            [Belief(sensorID: 1, eventStart: instant("2015-06-02T00:00:00Z"), beliefTime: instant("2015-06-01T12:00:00Z"), sourceID: 0, value: 40)],
            from: .user(id: test.user.id, name: test.user.username)
        )
        return test
    }

    static func backup(_ name: String, in backups: TemporaryDatabase, rows: [String]?) throws {
        let folder = backups.directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        guard let rows else { return }
        try ([SavedBeliefs.header] + rows).joined(separator: "\n").write(
            to: folder.appendingPathComponent(PortableBackup.beliefsFileName), atomically: true, encoding: .utf8
        )
    }

    static func prices(_ test: TestSite) throws -> [Double] {
        try test.beliefs(of: 1).map(\.value)
    }

    @Test func aBackupWithoutBeliefsClearsTheSite() async throws {
        let backups = try TemporaryDatabase()
        let test = try await Self.site(backups)
        try Self.backup("demo_v0", in: backups, rows: nil)
        let result = try await test.site.restoreBeliefs(fromBackupNamed: "demo_v0")
        #expect(result.removed == 1 && result.stored == 0)
        #expect(try Self.prices(test).isEmpty)
    }

    @Test func aBackupsBeliefsReplaceTheSites() async throws {
        let backups = try TemporaryDatabase()
        let test = try await Self.site(backups)
        let source = try #require(try test.site.registry.dataSources().first).id
        let line = SavedBeliefs.line(for: Belief(
            sensorID: 1, eventStart: instant("2015-06-02T01:00:00Z"), beliefTime: instant("2015-06-01T12:00:00Z"), sourceID: source, value: 55
        ))
        try Self.backup("demo_v1", in: backups, rows: [line])
        let result = try await test.site.restoreBeliefs(fromBackupNamed: "demo_v1")
        #expect(result.removed == 1 && result.stored == 1)
        #expect(try Self.prices(test) == [55])
    }

    @Test(arguments: [
        ("", RestoreProblem.unnamed), ("../backups", .invalidName), ("a/b", .invalidName), (".hidden", .invalidName),
        ("nope", .unknownBackup),
    ])
    func aNameThatIsNoBackupFolderIsRefused(name: String, problem: RestoreProblem) async throws {
        let backups = try TemporaryDatabase()
        let test = try await Self.site(backups)
        try Self.backup(".hidden", in: backups, rows: nil)
        let error = await #expect(throws: RestoreError.self) { try await test.site.restoreBeliefs(fromBackupNamed: name) }
        #expect(error?.reason == problem)
        #expect(try Self.prices(test) == [40])
    }

    @Test(arguments: [
        ("not a belief", RestoreProblem.invalidRows),
        ("999,2015-06-02T00:00:00+00:00,2015-06-01T12:00:00+00:00,1,0.5,3", .refused(.unknownSensor)),
        ("1,2015-06-02T00:00:00+00:00,2015-06-01T12:00:00+00:00,999,0.5,3", .refused(.unknownSource)),
    ])
    func rowsTheSiteCannotHoldAreRefusedAndChangeNothing(row: String, problem: RestoreProblem) async throws {
        let backups = try TemporaryDatabase()
        let test = try await Self.site(backups)
        try Self.backup("bad", in: backups, rows: [row])
        let error = await #expect(throws: RestoreError.self) { try await test.site.restoreBeliefs(fromBackupNamed: "bad") }
        #expect(error?.reason == problem, "\(error?.description ?? "")")
        #expect(try Self.prices(test) == [40])
    }
}
