import Beliefs
import Foundation
import GRDB
import Registry
import Site
import SiteDatabase
import Testing
import TestSupport

/// `db-ops save` and `load` through the site: what is saved loads back whole, and a backup the site cannot
/// hold says why and stores nothing.
@Suite struct PortableBackupTests {
    static func site(_ file: TemporaryDatabase) throws -> Site {
        Site(database: try SiteDatabase(path: file.path, migrations: SiteSchema.migrations), bcryptCost: 4, settings: Site.Settings())
    }

    /// A site with a user, a market and two prices the user posted; its backup folder.
    static func savedSite(_ file: TemporaryDatabase) async throws -> (folder: URL, market: SensorID) {
        let site = try site(file)
        _ = try site.registry.addStructure()
        let user = try site.registry.addUser(NewUser(username: "gw", email: "gw@example.org", password: "secret-pass", roles: ["Prosumer"]))
        let market = try site.registry.addMarket(NewMarket(name: "backup_test_market", marketTypeName: "day_ahead", unit: "EUR/MWh", eventResolution: .hours(1)))
        let start = Instant(secondsSinceEpoch: 1_420_070_400)
        try await site.ingest(
            [0, 1].map { Belief(sensorID: market.id, eventStart: start + .hours(Int64($0)), beliefTime: start, sourceID: 0, value: 40 + Double($0)) },
            from: .user(id: user.id, name: user.username)
        )
        let folder = file.directory.appendingPathComponent("backup")
        let saved = try site.savePortableBackup(to: folder)
        #expect(saved.beliefs == 2 && saved.registryRows > 0)
        return (folder, market.id)
    }

    @Test func whatIsSavedLoadsBackWhole() async throws {
        let source = try TemporaryDatabase()
        let (folder, market) = try await Self.savedSite(source)
        let target = try TemporaryDatabase()
        let loaded = try Self.site(target).loadPortableBackup(from: folder)
        #expect(loaded.beliefs == 2)
        let site = try Self.site(target)
        let start = Instant(secondsSinceEpoch: 1_420_070_400)
        #expect(try site.store.beliefs(sensorID: market, from: start, to: start + .hours(2)).map(\.value) == [40, 41])
        #expect(try site.registry.user(email: "gw@example.org") != nil)
    }

    @Test func aBeliefOfAnUnknownSourceIsRefusedAndNothingIsLoaded() async throws {
        let source = try TemporaryDatabase()
        let (folder, _) = try await Self.savedSite(source)
        let file = folder.appendingPathComponent(PortableBackup.beliefsFileName)
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
        var columns = lines[1].split(separator: ",").map(String.init)
        columns[3] = "999"
        try ([lines[0], columns.joined(separator: ",")] + lines.dropFirst(2)).joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)

        let target = try TemporaryDatabase()
        #expect {
            try Self.site(target).loadPortableBackup(from: folder)
        } throws: { error in
            guard case let .beliefsRefused(refusal)? = error as? PortableBackup.Failure else { return false }
            return refusal.reason == .unknownSource
        }
        let users = try await SiteDatabase(path: target.path, migrations: SiteSchema.migrations).pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM user")
        }
        #expect(users == 0, "the registry rows went back with the refused beliefs")
    }

    @Test func aBackupOfANewerReleaseIsRefused() async throws {
        let source = try TemporaryDatabase()
        let (folder, _) = try await Self.savedSite(source)
        let file = folder.appendingPathComponent(PortableBackup.registryFileName)
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "\"0005_udi_events\"", with: "\"0005_udi_events\",\"0099_future\"")
        try text.write(to: file, atomically: true, encoding: .utf8)
        #expect {
            try Self.site(try TemporaryDatabase()).loadPortableBackup(from: folder)
        } throws: { error in
            guard case let .savedByNewerRelease(_, unknown)? = error as? PortableBackup.Failure else { return false }
            return unknown == ["0099_future"]
        }
    }
}
