import API
import BeliefStore
import Beliefs
import Foundation
import GRDB
import Testing
import TestSupport
import Site
import SiteDatabase

@Suite(.serialized) struct DBOpsTests {
    @Test func aDumpTakenWhileTheDaemonWritesRestoresToTheSameBeliefs() throws {
        let site = try APISite()
        let token = try site.token("prosumer")
        let writing = WriterLoop()
        let port = site.daemon.port
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            let client = HTTPClient(endpoint: .tcp(port: port))
            var day = 0
            while !writing.stopped {
                let start = Instant(secondsSinceEpoch: 1_420_070_400) + .days(Int64(day))
                let values = (0..<96).map { Double(($0 + day) % 50) / 10 }
                _ = try? client.send("POST", "/api/v2_0/postMeterData", token: token, json: [
                    "type": "PostMeterDataRequest", "connection": APISite.battery, "values": values,
                    "start": start.iso8601, "duration": "P1D", "horizon": "-PT5M", "unit": "MW",
                ])
                day += 1
                writing.count = day
            }
            done.signal()
        }
        while writing.count < 5 { Thread.sleep(forTimeInterval: 0.01) }
        let dump = site.file.directory.appendingPathComponent("dump.db").path
        let dumped = try site.runner.run(["db-ops", "dump", dump])
        #expect(dumped.exitCode == 0, "\(dumped.stderr)")
        while writing.count < 10 { Thread.sleep(forTimeInterval: 0.01) }
        writing.stopped = true
        done.wait()
        #expect(site.daemon.stop() == 0)

        // Restore into a fresh file and compare every belief with the live database.
        let fresh = site.file.directory.appendingPathComponent("fresh.db").path
        var runner = site.runner
        runner = CommandRunner(database: fresh, environment: runner.environment)
        let restored = try runner.run(["db-ops", "restore", dump, "--force"])
        #expect(restored.exitCode == 0, "\(restored.stderr)")
        let all = (Instant(secondsSinceEpoch: 0), Instant(secondsSinceEpoch: 4_000_000_000))
        func beliefs(_ path: String) throws -> [Belief] {
            let store = BeliefStore(database: try SiteDatabase(path: path, migrations: SiteSchema.migrations, policy: .inspectOnly))
            // The measurements posted; the forecasts they trigger come and go with the worker's timing.
            return try store.beliefs(sensorID: 4, from: all.0, to: all.1).filter { $0.horizon(eventResolution: .minutes(15)) <= .zero }
        }
        let live = try beliefs(site.file.path)
        let copy = try beliefs(fresh)
        #expect(copy.count >= 5 * 96, "the dump holds what was written before it")
        #expect(copy.count % 96 == 0, "whole posts only")
        #expect(copy.count < live.count, "writing went on after the dump")
        #expect(Array(live.prefix(copy.count)) == copy, "every belief of the dump is the live one")
        let integrity = try DatabaseQueue(path: fresh).read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == ["ok"])
        #expect(try runner.run(["add", "structure"]).stdout.contains("nothing added"), "the registry came along")
    }

    @Test func dumpsAreNotOverwrittenAndResetErasesEverything() throws {
        let file = try TemporaryDatabase()
        let cli = CommandRunner(database: file.path)
        #expect(try cli.run(["add", "structure"]).exitCode == 0)
        let dump = file.directory.appendingPathComponent("dump.db").path
        #expect(try cli.run(["db-ops", "dump", dump]).exitCode == 0)
        #expect(try cli.run(["db-ops", "dump", dump]).exitCode == 2)
        #expect(try cli.run(["db-ops", "reset"], stdin: "n\n").exitCode == 2)
        #expect(try cli.run(["db-ops", "reset", "--force"]).exitCode == 0)
        #expect(try cli.run(["add", "structure"]).stdout.contains("Added asset type battery"), "empty again")
        #expect(try cli.run(["db-ops", "restore", dump, "--force"]).exitCode == 0)
        #expect(try cli.run(["add", "structure"]).stdout.contains("nothing added"))
        let notADump = file.directory.appendingPathComponent("junk.db").path
        try Data("junk".utf8).write(to: URL(fileURLWithPath: notADump))
        #expect(try cli.run(["db-ops", "restore", notADump, "--force"]).exitCode == 2)
    }
}

final class WriterLoop: @unchecked Sendable {
    private let lock = NSLock()
    private var _stopped = false
    private var _count = 0
    var stopped: Bool {
        get { lock.withLock { _stopped } }
        set { lock.withLock { _stopped = newValue } }
    }
    var count: Int {
        get { lock.withLock { _count } }
        set { lock.withLock { _count = newValue } }
    }
}

@Suite(.serialized) struct SaveLoadTests {
    @Test func aSavedFolderLoadsIntoAResetDatabaseWithEveryBeliefAndRecord() throws {
        let site = try APISite()
        #expect(try site.send("POST", "/api/v2_0/postMeterData", as: "prosumer", json: [
            "type": "PostMeterDataRequest", "connection": APISite.battery, "values": [1.5, 2.25, -3], "start": "2015-01-01T00:00:00Z",
            "duration": "PT45M", "unit": "MW",
        ]).status == 200)
        #expect(try site.send("POST", "/api/v2_0/postPriceData", as: "prosumer", json: [
            "type": "PostPriceDataRequest", "market": "ea1.2021-01.io.flexmeasures:epex_da", "values": [52.37, 51.14],
            "start": "2015-01-01T00:00:00Z", "duration": "PT2H", "prior": "2014-12-31T12:00:00Z", "unit": "EUR/MWh",
        ]).status == 200)
        #expect(site.daemon.stop() == 0)
        let folder = site.file.directory.appendingPathComponent("saved").path
        let saved = try site.runner.run(["db-ops", "save", folder])
        #expect(saved.exitCode == 0, "\(saved.stderr)")

        let fresh = site.file.directory.appendingPathComponent("fresh.db").path
        let runner = CommandRunner(database: fresh, environment: site.runner.environment)
        #expect(try runner.run(["add", "structure"]).exitCode == 0)
        #expect(try runner.run(["db-ops", "load", folder]).exitCode == 2, "not empty: structure was added")
        #expect(try runner.run(["db-ops", "reset", "--force"]).exitCode == 0)
        let loaded = try runner.run(["db-ops", "load", folder])
        #expect(loaded.exitCode == 0, "\(loaded.stderr)")

        for sensor in ["1", "4"] {
            let window = ["--sensor-id", sensor, "--start", "2014-01-01T00:00:00Z", "--duration", "P800D"]
            let original = try site.runner.run(["show", "beliefs"] + window).stdout
            let copy = try runner.run(["show", "beliefs"] + window).stdout
            #expect(copy == original, "sensor \(sensor)")
            #expect(copy.split(separator: "\n").count > 2)
        }
        // The users came along, passwords and all: the loaded site serves the same login.
        let daemon = try RunningDaemon(runner: runner)
        let login = try daemon.tcp.send("POST", "/api/requestAuthToken", json: ["email": "prosumer@example.com", "password": "password-prosumer"])
        #expect(login.status == 200)
        let asset = try daemon.tcp.send("GET", "/api/v2_0/asset/4", token: login.json?["auth_token"] as? String)
        #expect(asset.json?["name"] as? String == "battery")
        #expect(daemon.stop() == 0)
    }
}
