import ArgumentParser
import BeliefStore
import Beliefs
import Foundation
import Site
import SiteDatabase
#if canImport(Glibc)
import Glibc
#endif

/// `flexmeasures-bench uplink`: a backlog of days offline, drained into a central PostgreSQL by the release
/// daemon, while a gateway posts a day of 15-minute values at a time. `scripts/bench-uplink.sh` starts a
/// PostgreSQL of its own for it.
struct UplinkBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uplink",
        abstract: "Drain a backlog of beliefs into PostgreSQL through the daemon's uplink; time 96-value posts meanwhile."
    )

    @Option(help: "The central server, e.g. postgres://fleet@127.0.0.1:5432/fleet?sslmode=disable (its schema made by `uplink init`).")
    var postgres: String
    @Option(help: "The central user's password.") var password: String?
    @Option(help: "Beliefs waiting when the daemon starts.") var backlog = 1_000_000
    @Option(help: "Assets the backlog is spread over.") var assets = 10
    @Option(help: "The daemon binary (default: flexmeasures beside this benchmark).") var daemon: String?

    func run() async throws {
        let folder = try StoreBenchmark.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("uplink.db").path
        let (sensors, gatewayAsset, _) = try APIBenchmark.prepareSite(database: path, assets: assets)
        let site = Site(database: try SiteDatabase(path: path, migrations: SiteSchema.migrations), bcryptCost: 4, settings: Site.Settings())
        try site.startUplinkJournal()
        let store = site.store
        let source = try await store.database.write { db in try SensorCatalog.scriptSource(name: "bench", type: .script, in: db).id }

        // The backlog as gateways leave it: a journal entry per posted day of 96 values.
        var generator = SeriesGenerator(seed: 16)
        let day = generator.meterValues(count: 96, resolution: .minutes(15))
        let runs = (backlog + 95) / 96
        let writing = try Stopwatch.seconds {
            var run = 0
            while run < runs {
                let upTo = min(runs, run + 200)
                let first = run
                try store.database.write { db in
                    for index in first..<upTo {
                        let sensor = sensors[index % sensors.count]
                        let start = SeriesGenerator.origin + .days(Int64(index / sensors.count))
                        let beliefs = day.indices.prefix(index == runs - 1 ? backlog - 96 * (runs - 1) : 96).map { slot in
                            let eventStart = start + .minutes(Int64(15 * slot))
                            return Belief(
                                sensorID: sensor, eventStart: eventStart, beliefTime: eventStart + .minutes(20), sourceID: source,
                                value: day[slot]
                            )
                        }
                        try store.append(beliefs, in: db)
                    }
                }
                run = upTo
            }
        }
        let waiting = try site.uplinkStatus()!
        print("# uplink benchmark: \(waiting.backlogBeliefs) beliefs in \(waiting.backlogEntries) journal entries waiting (written in \(String(format: "%.1f", writing)) s)")

        var environment = ["FLEXMEASURES_UPLINK_URL": postgres, "FLEXMEASURES_UPLINK_SITE": "bench-\(UUID().uuidString.prefix(8))"]
        environment["FLEXMEASURES_UPLINK_PASSWORD"] = password
        let launched = DispatchTime.now().uptimeNanoseconds
        let running = try BenchDaemon(binary: daemon, database: path, environment: environment)
        defer { withExtendedLifetime(running) {} }
        let connection = try HTTPConnection(port: running.port)
        let token = try running.token(on: connection, email: "gateway@example.com", password: "benchmark-password")

        // A gateway posts a day at a time while the backlog drains; the daemon's own figures say when it is done.
        var postTimes: [Double] = []
        var posted = 0
        var drained: UInt64?
        var firstForwarded: UInt64?
        while drained == nil {
            let start = SeriesGenerator.origin + .days(Int64(20_000 + posted))
            let body = APIBenchmark.message(asset: gatewayAsset, start: start, values: day)
            var status = 0
            postTimes.append(try Stopwatch.seconds { status = try connection.send("POST", "/api/v2_0/postMeterData", token: token, body: body).status })
            precondition(status == 200, "a day's post failed with \(status)")
            posted += 1
            let status_ = try site.uplinkStatus()!
            if firstForwarded == nil, status_.forwardedBeliefs > 0 { firstForwarded = DispatchTime.now().uptimeNanoseconds }
            if status_.forwardedBeliefs >= backlog { drained = DispatchTime.now().uptimeNanoseconds }
            if let error = status_.lastError { throw HTTPConnection.Failure(description: "the uplink failed: \(error)") }
            usleep(10_000)
        }
        let total = Double(drained! - launched) / 1e9
        report("backlog beliefs", Double(backlog), decimals: 0)
        report("daemon start to backlog drained s", total, decimals: 2)
        report("drain rate from daemon start beliefs/s", Double(backlog) / total, decimals: 0)
        report(
            "drain rate after the first batch landed beliefs/s",
            Double(backlog - min(backlog, 100_000)) / (Double(drained! - (firstForwarded ?? launched)) / 1e9), decimals: 0
        )
        report("post 96 values while draining (\(postTimes.count) posts) median ms", postTimes.median * 1000, decimals: 3)
        report("post 96 values while draining p99 ms", postTimes.percentile(0.99) * 1000, decimals: 3)

        reportPosts(try Self.postDays(200, from: 30_000, asset: gatewayAsset, values: day, on: connection, token: token), "with the uplink idle")
        kill(running.process.processIdentifier, SIGTERM)
        running.process.waitUntilExit()

        // The same posts to the same daemon without an uplink: what the journal costs a post.
        let plain = try BenchDaemon(binary: daemon, database: path)
        let plainConnection = try HTTPConnection(port: plain.port)
        let plainToken = try plain.token(on: plainConnection, email: "gateway@example.com", password: "benchmark-password")
        reportPosts(try Self.postDays(200, from: 40_000, asset: gatewayAsset, values: day, on: plainConnection, token: plainToken), "without an uplink")
    }

    /// `count` posts of a day of values each, one every 10 ms as a gateway paces them, from day `first`; their times.
    static func postDays(
        _ count: Int, from first: Int, asset: SensorID, values: [Double], on connection: HTTPConnection, token: String
    ) throws -> [Double] {
        try (0..<count).map { index in
            let body = APIBenchmark.message(asset: asset, start: SeriesGenerator.origin + .days(Int64(first + index)), values: values)
            defer { usleep(10_000) }
            return try Stopwatch.seconds { _ = try connection.send("POST", "/api/v2_0/postMeterData", token: token, body: body) }
        }
    }

    private func reportPosts(_ times: [Double], _ condition: String) {
        report("post 96 values \(condition) median ms", times.median * 1000, decimals: 3)
        report("post 96 values \(condition) p99 ms", times.percentile(0.99) * 1000, decimals: 3)
    }
}
