import BeliefStore
import Beliefs
import Foundation
import Site
import SiteDatabase
import TestSupport
import Testing

/// The daemon's uplink, killed with `kill -9` while it forwards a backlog to a real PostgreSQL.
@Suite struct UplinkDaemonTests {
    /// A site whose journal holds `days` days of 96 readings for each of `sensors` sensors, as gateways leave it.
    static func backlog(at path: String, sensors count: Int, days: Int) async throws -> Site {
        let site = Site(database: try SiteDatabase(path: path, migrations: SiteSchema.migrations), bcryptCost: 4, settings: Site.Settings())
        try site.startUplinkJournal()
        let store = site.store
        let (sensors, source) = try await store.database.write { db in
            (
                try (0..<count).map { _ in try SensorCatalog.createSensor(unit: "MW", eventResolution: .minutes(15), in: db) },
                try SensorCatalog.scriptSource(name: "gateway", type: .script, in: db).id
            )
        }
        let origin = Instant(microsecondsSinceEpoch: 1_735_689_600_000_000)  // 2025-01-01
        for day in 0..<days {
            try await store.database.write { db in
                for (index, sensor) in sensors.enumerated() {
                    let beliefs = (0..<96).map { slot in
                        let start = origin + .days(Int64(day)) + .minutes(Int64(15 * slot))
                        return Belief(
                            sensorID: sensor, eventStart: start, beliefTime: start + .minutes(20), sourceID: source,
                            value: Double(day * 96 + slot) / 8 + Double(index)
                        )
                    }
                    try store.append(beliefs, in: db)
                }
            }
        }
        return site
    }

    /// Every belief of the site, as `sensor|start|horizon|value` lines, the way psql prints the server's.
    static func siteLines(_ site: Site) throws -> [String] {
        try site.uplinkCatalog().sensors.flatMap { sensor in
            try site.store.beliefs(
                sensorID: sensor.id, from: Instant(microsecondsSinceEpoch: 0), to: Instant(microsecondsSinceEpoch: 4_102_444_800_000_000)
            ).map { belief in
                "\(sensor.id)|\(belief.eventStart.microsecondsSinceEpoch)|\((belief.eventStart + sensor.eventResolution - belief.beliefTime).microseconds)|\(belief.value)"
            }
        }.sorted()
    }

    static func centralLines(_ server: TemporaryPostgres, site: String) throws -> [String] {
        try server.psql("""
            SELECT s.site_sensor_id || '|' || (extract(epoch FROM b.event_start) * 1000000)::bigint || '|'
                || (extract(epoch FROM b.belief_horizon) * 1000000)::bigint || '|' || b.event_value
            FROM fleet.timed_belief b JOIN fleet.sensor s ON s.id = b.sensor_id JOIN fleet.site f ON f.id = b.site_id
            WHERE f.name = '\(site)'
            """).split(separator: "\n").map { line in
            // psql writes 12 where Swift writes 12.0: the value goes through Double on both sides.
            var fields = line.split(separator: "|").map(String.init)
            fields[3] = Double(fields[3]).map { "\($0)" } ?? fields[3]
            return fields.joined(separator: "|")
        }.sorted()
    }

    @Test func aDaemonKilledMidTransferLosesNothingAndSendsNothingTwice() async throws {
        let server = try TemporaryPostgres.start()
        defer { server.destroy() }
        let file = try TemporaryDatabase()
        let runner = CommandRunner(database: file.path, environment: [
            "FLEXMEASURES_UPLINK_URL": "postgres://fleet@127.0.0.1:\(server.port)/fleet?sslmode=disable",
            "FLEXMEASURES_UPLINK_SITE": "killed",
            "FLEXMEASURES_UPLINK_PASSWORD": server.password,
        ])
        let initialised = try runner.run(["uplink", "init"], withDatabase: false)
        #expect(initialised.exitCode == 0, "\(initialised.stderr)")
        let site = try await Self.backlog(at: file.path, sensors: 25, days: 200)
        let total = try #require(try site.uplinkStatus()).backlogBeliefs - 1

        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for _ in 0..<3 {
            let before = try #require(try site.uplinkStatus()).forwardedBeliefs
            guard before < total else { break }
            let daemon = try RunningDaemon(runner: runner)
            // Killed once a batch more has landed, a moment later: in the middle of the next one, or between the
            // server's commit and the site's record of it.
            let deadline = Date().addingTimeInterval(60)
            while try #require(try site.uplinkStatus()).forwardedBeliefs == before, Date() < deadline {
                try await Task.sleep(for: .milliseconds(5))
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...150, using: &generator)))
            daemon.killNine()
            kills += 1
        }
        #expect(kills == 3)
        let forwarded = try #require(try site.uplinkStatus()).forwardedBeliefs
        #expect(forwarded > 0 && forwarded < total, "killed while beliefs still waited (\(forwarded) of \(total) forwarded)")

        let daemon = try RunningDaemon(runner: runner)
        let drained = Date().addingTimeInterval(120)
        while try #require(try site.uplinkStatus()).backlogBeliefs > 0, Date() < drained {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(daemon.stop() == 0)
        let status = try #require(try site.uplinkStatus())
        #expect(status.backlogBeliefs == 0, "drained after the kills: \(status)")
        #expect(!daemon.logText.contains("already"), "no batch met beliefs the server held: \(daemon.logText)")

        let central = try Self.centralLines(server, site: "killed")
        let stored = try Self.siteLines(site)
        #expect(stored.count == total)
        let same = central == stored
        #expect(same, "central \(central.count), site \(stored.count)")
        #expect(try server.psql("SELECT beliefs_received FROM fleet.site WHERE name = 'killed'") == String(total), "each belief sent once")
    }
}

@Suite struct UplinkRestoreTests {
    /// A dump's journal stands where it stood when dumped; restored, the uplink must not resume from there.
    @Test func restoringADumpStartsANewStreamHoldingWhatWasRestored() async throws {
        let file = try TemporaryDatabase()
        let site = try await UplinkDaemonTests.backlog(at: file.path, sensors: 2, days: 3)
        let dumped = try #require(try site.uplinkStatus())
        let dump = file.directory.appendingPathComponent("dump.db").path
        let runner = CommandRunner(database: file.path)
        #expect(try runner.run(["db-ops", "dump", dump]).exitCode == 0)

        let restored = try runner.run(["db-ops", "restore", dump, "--force"])
        #expect(restored.exitCode == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains("new stream"))
        let after = try #require(try Site(
            database: try SiteDatabase(path: file.path, migrations: SiteSchema.migrations), bcryptCost: 4, settings: Site.Settings()
        ).uplinkStatus())
        #expect(after.streamID != dumped.streamID)
        #expect(after.forwardedBeliefs == 0 && after.backlogBeliefs == 2 * 3 * 96 + 1, "everything restored waits, after a delete-all")
    }
}
