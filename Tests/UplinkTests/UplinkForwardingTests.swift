import BeliefStore
import Beliefs
import Foundation
import GRDB
import Logging
import Site
import SiteDatabase
import TestSupport
import Testing
import Uplink

/// The uplink against a real PostgreSQL on loopback (a cluster of its own per test).
@Suite struct UplinkForwardingTests {
    /// Beliefs the demo data has none of: a probabilistic forecast, extreme and negative-zero values,
    /// belief times off the second, an event before 1970 and one in 2100.
    func addUnusualBeliefs(to fixture: UplinkSite, sensor name: String = "demo-battery") throws -> Int {
        let catalog = try fixture.site.uplinkCatalog()
        let battery = try #require(catalog.sensors.first { $0.name == name })
        let source = try fixture.site.store.database.write { db in
            try SensorCatalog.scriptSource(name: "odd beliefs", type: .forecaster, in: db).id
        }
        let slot = battery.eventResolution
        let base = Instant(microsecondsSinceEpoch: 1_767_225_600_000_000)  // 2026-01-01
        var beliefs: [Belief] = []
        for (index, value) in [0.1 + 0.2, -0.0, 1e-300, -1.7976931348623157e308, 5e-324, 123_456.789].enumerated() {
            let start = base + slot * Int64(index)
            beliefs.append(Belief(sensorID: battery.id, eventStart: start, beliefTime: start - .hours(25) + Timespan(microseconds: 1), sourceID: source, value: value))
            beliefs.append(Belief(
                sensorID: battery.id, eventStart: start, beliefTime: start - .hours(25), sourceID: source, cumulativeProbability: 0.05, value: value - 1
            ))
        }
        let old = Instant(microsecondsSinceEpoch: -86_400_000_000 * 365)  // 1969-01-01
        beliefs.append(Belief(sensorID: battery.id, eventStart: old, beliefTime: old + .days(2) + Timespan(microseconds: 7), sourceID: source, value: 1))
        let late = Instant(microsecondsSinceEpoch: 4_102_444_800_000_000)  // 2100-01-01
        beliefs.append(Belief(sensorID: battery.id, eventStart: late, beliefTime: base, sourceID: source, value: 2))
        try fixture.site.store.appendNow(beliefs)
        return beliefs.count
    }

    @Test func everyBeliefArrivesOnceExactlyAsStored() async throws {
        let server = try await TemporaryPostgres.fleet()
        defer { server.destroy() }
        let fixture = try UplinkSite()
        try await fixture.addDemoData()
        #expect(try fixture.site.startUplinkJournal())
        let forwarder = try fixture.forwarder(server, name: "site-a", batch: 3_000)

        let first = try await forwarder.forwardWaiting()
        let stored = try fixture.stored()
        #expect(stored.count > 5_000)
        #expect(first.beliefs == stored.count && first.batches > 1)
        #expect(try server.forwarded(site: "site-a") == stored)

        // New beliefs, deletions and a deleted asset follow in order; forwarding twice sends nothing twice.
        let unusual = try addUnusualBeliefs(to: fixture)
        let pv = try #require(try fixture.site.uplinkCatalog().sensors.first { $0.name == "demo-pv" })
        try fixture.site.store.deleteBeliefs(.measurements, sensorIDs: [pv.id])
        let second = try await forwarder.forwardWaiting()
        #expect(second.beliefs == unusual)
        #expect(try await forwarder.forwardWaiting() == UplinkForwarder.Progress())
        let (same, difference) = try server.holds(site: "site-a", exactlyAs: fixture)
        #expect(same, "\(difference)")
        #expect(try server.rowCount(site: "site-a") == fixture.stored().count)

        let status = try #require(try fixture.site.uplinkStatus())
        #expect(status.backlogBeliefs == 0 && status.lastError == nil && status.lastForwarded != nil)
        #expect(status.forwardedBeliefs == stored.count + unusual)
        #expect(try server.psql("SELECT name, unit FROM fleet.sensor WHERE name = 'site-a/demo-pv'") == "site-a/demo-pv|MW")
        #expect(try server.psql("SELECT event_resolution FROM fleet.sensor WHERE name = 'site-a/demo-pv'") == "00:15:00")
    }

    @Test func twoSitesWithTheSameLocalIdsShareOneServerWithoutCollisions() async throws {
        let server = try await TemporaryPostgres.fleet()
        defer { server.destroy() }
        let north = try UplinkSite(), south = try UplinkSite()
        try await north.addDemoData()
        try await south.addDemoData()
        try north.site.startUplinkJournal()
        try south.site.startUplinkJournal()
        async let a = north.forwarder(server, name: "north").forwardWaiting()
        async let b = south.forwarder(server, name: "south").forwardWaiting()
        _ = try await (a, b)
        #expect(try north.stored().count > 0)
        #expect(try server.forwarded(site: "north") == north.stored())
        #expect(try server.forwarded(site: "south") == south.stored())
        #expect(try server.psql("SELECT count(DISTINCT site_id) FROM fleet.timed_belief") == "2")

        // One site's deletion leaves the other's beliefs alone.
        try await north.site.store.database.write { db in _ = try north.site.store.deleteAllBeliefs(in: db) }
        try await north.forwarder(server, name: "north").forwardWaiting()
        #expect(try server.rowCount(site: "north") == 0)
        #expect(try server.forwarded(site: "south") == south.stored())
    }

    @Test func aServerThatStopsMidTransferLosesNothingOnceItIsBack() async throws {
        let server = try await TemporaryPostgres.fleet()
        defer { server.destroy() }
        let fixture = try UplinkSite()
        try await fixture.addDemoData()
        try fixture.site.startUplinkJournal()
        let forwarder = try fixture.forwarder(server, name: "site-a", batch: 500)
        let running = Task { await forwarder.run() }
        defer { running.cancel() }

        #expect(try await eventually { (try fixture.site.uplinkStatus()?.forwardedBeliefs ?? 0) > 0 })
        try server.stop(mode: "immediate")
        #expect(try await eventually { try fixture.site.uplinkStatus()?.lastError != nil }, "the failure is recorded")
        let waiting = try #require(try fixture.site.uplinkStatus())
        #expect(waiting.backlogBeliefs > 0, "the server went away before the backlog drained")
        _ = try addUnusualBeliefs(to: fixture)

        try server.startAgain()
        #expect(try await eventually(within: 60) {
            let status = try fixture.site.uplinkStatus()
            return status?.backlogBeliefs == 0 && status?.lastError == nil
        })
        let (same, difference) = try server.holds(site: "site-a", exactlyAs: fixture)
        #expect(same, "\(difference)")
    }

    @Test func aSiteThatDiedBeforeRecordingItsPositionSendsNothingTwice() async throws {
        let server = try await TemporaryPostgres.fleet()
        defer { server.destroy() }
        let fixture = try UplinkSite()
        try await fixture.addDemoData()
        try fixture.site.startUplinkJournal()
        // The file as it was before forwarding: what a site killed between the server's commit and its own has.
        // Nothing writes now, so the file and its WAL together are a consistent copy.
        let restored = try TemporaryDatabase()
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: fixture.file.path + suffix) {
            try? FileManager.default.removeItem(atPath: restored.path + suffix)
            try FileManager.default.copyItem(atPath: fixture.file.path + suffix, toPath: restored.path + suffix)
        }
        try await fixture.forwarder(server, name: "site-a").forwardWaiting()
        let held = try server.forwarded(site: "site-a")

        let revived = try UplinkSite(file: restored)
        #expect(try revived.site.uplinkStatus()?.backlogBeliefs ?? 0 > 0, "the copy still holds the whole backlog")
        let again = try await revived.forwarder(server, name: "site-a").forwardWaiting()
        #expect(again.beliefs == 0, "the server's position says it holds them all")
        #expect(try revived.site.uplinkStatus()?.backlogBeliefs == 0)
        #expect(try server.forwarded(site: "site-a") == held)
    }

    @Test func aServerRestoredFromAnOlderBackupGetsEverythingAgain() async throws {
        let server = try await TemporaryPostgres.fleet()
        defer { server.destroy() }
        let fixture = try UplinkSite()
        try await fixture.addDemoData()
        try fixture.site.startUplinkJournal()
        let forwarder = try fixture.forwarder(server, name: "site-a")
        try await forwarder.forwardWaiting()
        let stream = try #require(try fixture.site.uplinkStatus()).streamID
        // The server loses the last part of what it held, position included.
        try server.psql("""
            DELETE FROM fleet.timed_belief WHERE event_start > now() - interval '2 days';
            UPDATE fleet.site SET acknowledged_sequence = 1 WHERE name = 'site-a'
            """)
        _ = try addUnusualBeliefs(to: fixture)
        try await forwarder.forwardWaiting()
        let status = try #require(try fixture.site.uplinkStatus())
        #expect(status.streamID != stream, "a new stream holding everything")
        let (same, difference) = try server.holds(site: "site-a", exactlyAs: fixture)
        #expect(same, "\(difference)")
    }

    @Test func aMissingOrNewerCentralSchemaIsSaidAndRecorded() async throws {
        let server = try TemporaryPostgres.start()
        defer { server.destroy() }
        let fixture = try UplinkSite()
        try await fixture.addDemoData()
        try fixture.site.startUplinkJournal()
        await #expect(throws: UplinkError.self) { try await fixture.forwarder(server, name: "site-a").forwardWaiting() }
        #expect(try fixture.site.uplinkStatus()?.lastError?.contains("flexmeasures uplink init") == true)

        let configuration = try UplinkSite.configuration(server, site: "site-a")
        let report = try await UplinkSetup.migrateCentralSchema(configuration, logger: Logger(label: "uplink-test"))
        #expect(report.versionBefore == 0 && report.versionAfter == CentralSchema.latestVersion)
        #expect(try await UplinkSetup.migrateCentralSchema(configuration, logger: Logger(label: "uplink-test")).applied.isEmpty)
        try server.psql("INSERT INTO fleet.schema_migration (version, summary) VALUES (999, 'from the future')")
        let error = await #expect(throws: UplinkError.self) { try await fixture.forwarder(server, name: "site-a").forwardWaiting() }
        #expect(error?.description.contains("newer") == true)
    }

    @Test func aWrongPasswordIsRefusedAndSaidWithoutThePassword() async throws {
        let server = try await TemporaryPostgres.fleet()
        defer { server.destroy() }
        let fixture = try UplinkSite()
        try fixture.site.startUplinkJournal()
        try await fixture.addDemoData()
        let configuration = try UplinkConfiguration(
            url: "postgres://fleet@127.0.0.1:\(server.port)/fleet", password: "not-the-password", siteName: "site-a"
        )
        let forwarder = UplinkForwarder(site: fixture.site, configuration: configuration, logger: Logger(label: "uplink-test"))
        let error = await #expect(throws: UplinkError.self) { try await forwarder.forwardWaiting() }
        #expect(error?.description.contains("password authentication failed") == true)
        #expect(error?.description.contains("not-the-password") == false)
    }

    @Test func anIdleForwarderNoticesTheServerGoingAndComingBack() async throws {
        let server = try await TemporaryPostgres.fleet()
        defer { server.destroy() }
        let fixture = try UplinkSite()
        try fixture.site.startUplinkJournal()
        let running = Task { await (try fixture.forwarder(server, name: "idle", heartbeat: .milliseconds(200))).run() }
        defer { running.cancel() }
        #expect(try await eventually { try fixture.site.uplinkStatus()?.lastForwarded != nil }, "the journal's first entry went")
        try server.stop(mode: "fast")
        #expect(try await eventually { try fixture.site.uplinkStatus()?.lastError != nil }, "noticed with nothing waiting")
        #expect(try fixture.site.uplinkStatus()?.backlogBeliefs == 0)
        try server.startAgain()
        #expect(try await eventually { try fixture.site.uplinkStatus()?.lastError == nil }, "and noticed back")
    }

    @Test func aSiteUnderANewNameIsSentWholeAtOnceAndANameTakenByAnotherSiteIsSaid() async throws {
        let server = try await TemporaryPostgres.fleet()
        defer { server.destroy() }
        let north = try UplinkSite(), south = try UplinkSite()
        try await north.addDemoData()
        try await south.addDemoData()
        try north.site.startUplinkJournal()
        try south.site.startUplinkJournal()
        try await north.forwarder(server, name: "north").forwardWaiting()

        // Renamed with nothing new to send: the first check finds the name new to the server and sends everything.
        let renamed = Task { await (try north.forwarder(server, name: "north-renamed")).run() }
        #expect(try await eventually {
            try server.rowCount(site: "north-renamed") == north.stored().count && north.site.uplinkStatus()?.backlogBeliefs == 0
        })
        renamed.cancel()
        _ = try? await renamed.value
        let (same, difference) = try server.holds(site: "north-renamed", exactlyAs: north)
        #expect(same, "\(difference)")

        // Another site configured with the same name takes it only while its own stream is new; the first site
        // then says so and leaves the other's beliefs alone.
        try await south.forwarder(server, name: "north-renamed").forwardWaiting()
        #expect(try server.rowCount(site: "north-renamed") == south.stored().count)
        _ = try addUnusualBeliefs(to: north)
        let battery = try #require(try north.site.uplinkCatalog().sensors.first { $0.name == "demo-battery" })
        try await north.site.store.database.write { db in
            try SensorCatalog.updateSensor(id: battery.id, unit: "kW", eventResolution: .hours(1), in: db)
            try db.execute(sql: "UPDATE asset SET name = 'north-battery' WHERE id = ?", arguments: [battery.id])
        }
        let holders = try server.psql("SELECT name, unit, event_resolution FROM fleet.sensor ORDER BY id")
        let horizons = try server.psql("SELECT sum(extract(epoch FROM belief_horizon)) FROM fleet.timed_belief")
        let error = await #expect(throws: UplinkError.self) { try await north.forwarder(server, name: "north-renamed").forwardWaiting() }
        #expect(try server.psql("SELECT name, unit, event_resolution FROM fleet.sensor ORDER BY id") == holders, "the holder's sensors stay")
        #expect(try server.psql("SELECT sum(extract(epoch FROM belief_horizon)) FROM fleet.timed_belief") == horizons)
        #expect(error?.description.contains("another site uses the same FLEXMEASURES_UPLINK_SITE") == true)
        #expect(try north.site.uplinkStatus()?.lastError?.contains("uplink resend") == true)
        #expect(try server.rowCount(site: "north-renamed") == south.stored().count, "the other site's beliefs stay")
    }

    @Test func renamedAssetsNewUnitsAndResolutionsReachTheServerAndBeliefTimesStay() async throws {
        let server = try await TemporaryPostgres.fleet()
        defer { server.destroy() }
        let fixture = try UplinkSite()
        try await fixture.addDemoData()
        try fixture.site.startUplinkJournal()
        let forwarder = try fixture.forwarder(server, name: "site-a")
        try await forwarder.forwardWaiting()

        let battery = try #require(try fixture.site.uplinkCatalog().sensors.first { $0.name == "demo-battery" })
        try await fixture.site.store.database.write { db in
            try SensorCatalog.updateSensor(id: battery.id, unit: "kW", eventResolution: .hours(1), in: db)
            try db.execute(sql: "UPDATE asset SET name = 'big-battery' WHERE id = ?", arguments: [battery.id])
        }
        _ = try addUnusualBeliefs(to: fixture, sensor: "big-battery")
        try await forwarder.forwardWaiting()
        #expect(try server.psql("SELECT name, unit, event_resolution FROM fleet.sensor WHERE site_sensor_id = \(battery.id)")
            == "site-a/big-battery|kW|01:00:00")
        let (same, difference) = try server.holds(site: "site-a", exactlyAs: fixture)
        #expect(same, "horizons follow the new resolution: \(difference)")
    }

    @Test func aConnectionLeftSilentByARestartedServerIsReplacedWithinSeconds() async throws {
        let server = try await TemporaryPostgres.fleet()
        defer { server.destroy() }
        let fixture = try UplinkSite()
        try fixture.site.startUplinkJournal()
        var tuning = UplinkForwarder.Tuning()
        tuning.idlePoll = .milliseconds(50)
        tuning.probeAfter = .milliseconds(500)
        tuning.probeTimeout = .seconds(2)
        tuning.timeout = .seconds(60)
        let forwarder = UplinkForwarder(
            site: fixture.site, configuration: try UplinkSite.configuration(server, site: "site-a"), tuning: tuning,
            logger: Logger(label: "uplink-test")
        )
        let running = Task { await forwarder.run() }
        defer { running.cancel() }
        #expect(try await eventually { try fixture.site.uplinkStatus()?.lastForwarded != nil })
        try server.stop(mode: "fast")
        try server.startAgain()
        try await Task.sleep(for: .seconds(1))
        try await fixture.addDemoData()
        let started = ContinuousClock.now
        #expect(try await eventually(within: 50) { try fixture.site.uplinkStatus()?.backlogBeliefs == 0 })
        #expect(ContinuousClock.now - started < .seconds(20), "not the 60 s call limit")
        let (same, difference) = try server.holds(site: "site-a", exactlyAs: fixture)
        #expect(same, "\(difference)")
    }

    @Test func aJournalErasedUnderARunningForwarderStartsAgainWithEverything() async throws {
        let server = try await TemporaryPostgres.fleet()
        defer { server.destroy() }
        let fixture = try UplinkSite()
        try await fixture.addDemoData()
        try fixture.site.startUplinkJournal()
        let first = try #require(try fixture.site.uplinkStatus()).streamID
        let running = Task { await (try fixture.forwarder(server, name: "site-a")).run() }
        defer { running.cancel() }
        #expect(try await eventually { try fixture.site.uplinkStatus()?.backlogBeliefs == 0 })
        try fixture.site.stopUplinkJournal()
        #expect(try await eventually {
            let status = try fixture.site.uplinkStatus()
            return status != nil && status?.streamID != first && status?.backlogBeliefs == 0
        })
        let (same, difference) = try server.holds(site: "site-a", exactlyAs: fixture)
        #expect(same, "\(difference)")
    }
}
