import ArgumentParser
import BeliefStore
import Beliefs
import Foundation
import Registry
import Site
import SiteDatabase

/// `flexmeasures-bench console`: the console's pages on a site of 50 assets with a year of quarter-hour
/// measurements each, served by the release daemon over loopback: each page's HTML (median and p99 of
/// the time from request to the whole answer), a year of one asset's chart data, and the bytes a first
/// visit with an empty cache transfers (the dashboard and every script and style it loads, gzipped).
struct ConsoleBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Page times, a year of chart data and a first visit's transfer on 50 assets with a year of data each."
    )

    @Option(help: "Requests per page.") var requests = 40
    @Option(help: "Assets on the site.") var assets = 50
    @Option(help: "The daemon binary (default: flexmeasures beside this benchmark).") var binary: String?
    @Option(help: "Folder for the benchmark's database (default: a new temporary folder).") var directory: String?

    mutating func run() async throws {
        let folder = try directory.map { URL(fileURLWithPath: $0) } ?? {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("flexmeasures-bench-console-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return url
        }()
        defer { if directory == nil { try? FileManager.default.removeItem(at: folder) } }
        let path = folder.appendingPathComponent("console.db").path
        let now = Instant.now()
        let end = now.floored(to: .hours(1))
        let start = end - .days(365)
        print("# console benchmark: \(assets) assets with a year of 15-minute measurements each, \(requests) requests per page, release daemon on loopback")

        let prepared = try await Stopwatch.seconds {
            try await Self.prepare(path: path, assets: assets, from: start, to: end)
        }
        report("site prepared (\(assets * 35_040) measurements, a year of hourly prices)", prepared, decimals: 1, unit: "s")

        let daemon = try BenchDaemon(binary: binary, database: path)
        let site = Site(database: try SiteDatabase(path: path, migrations: SiteSchema.migrations), bcryptCost: 4, settings: Site.Settings())
        let (token, _) = try await site.signIn(email: "admin@example.com", password: "password-admin", client: "bench", lifetime: .hours(1))
        let cookie = ["Cookie": "fm_session=\(token)"]
        let connection = try HTTPConnection(port: daemon.port)
        guard let firstAsset = try site.registry.assets().first else { throw HTTPConnection.Failure(description: "no assets") }
        let startDay = String(start.iso8601.prefix(10)), endDay = String(end.iso8601.prefix(10))

        var pages = ["/dashboard", "/assets", "/assets/\(firstAsset.id)", "/users", "/account", "/tasks", "/alerts", "/upload"]
        for optional in ["/portfolio", "/analytics", "/control", "/control/\(firstAsset.id)"] {
            if try connection.send("GET", optional, headers: cookie).status == 200 { pages.append(optional) }
        }
        for page in pages {
            var times: [Double] = []
            var status = 0, bytes = 0
            for _ in 0..<requests {
                times.append(try Stopwatch.seconds {
                    let reply = try connection.send("GET", page, headers: cookie)
                    status = reply.status
                    bytes = reply.body.count
                })
            }
            guard status == 200 else { throw HTTPConnection.Failure(description: "\(page) answered \(status)") }
            report("page \(page) (\(bytes) bytes), median", times.median * 1000, decimals: 2, unit: "ms")
            report("page \(page), p99", times.percentile(0.99) * 1000, decimals: 2, unit: "ms")
        }

        let chart = "/assets/\(firstAsset.id)/chart/data?start=\(startDay)&end=\(endDay)&resolution=15"
        var chartTimes: [Double] = []
        var body: [UInt8] = []
        for _ in 0..<max(5, requests / 4) {
            chartTimes.append(try Stopwatch.seconds {
                let reply = try connection.send("GET", chart, headers: cookie)
                guard reply.status == 200 else { throw HTTPConnection.Failure(description: "chart data answered \(reply.status)") }
                body = reply.body
            })
        }
        let points = (try JSONSerialization.jsonObject(with: Data(body)) as? [Any])?.count ?? 0
        report("a year of one asset's chart data (\(points) points), median", chartTimes.median * 1000, decimals: 2, unit: "ms")
        report("a year of one asset's chart data, p99", chartTimes.percentile(0.99) * 1000, decimals: 2, unit: "ms")

        // A first visit: the login page and the dashboard with every file they link, gzip accepted.
        var transferred = 0
        var files = Set<String>()
        for page in ["/login", "/dashboard", "/charts/map/spec", "/charts/map/data"] {
            let reply = try connection.send("GET", page, headers: cookie.merging(["Accept-Encoding": "gzip"]) { $1 })
            transferred += reply.body.count
            let html = String(decoding: reply.body, as: UTF8.self)
            for marker in ["src=\"", "href=\""] {
                var rest = Substring(html)
                while let range = rest.range(of: marker) {
                    let link = rest[range.upperBound...].prefix { $0 != "\"" }
                    if link.hasPrefix("/static/") { files.insert(String(link).replacingOccurrences(of: "&amp;", with: "&")) }
                    rest = rest[range.upperBound...]
                }
            }
        }
        for file in files.sorted() {
            transferred += try connection.send("GET", file, headers: ["Accept-Encoding": "gzip"]).body.count
        }
        report("first visit with an empty cache (login, dashboard, map, \(files.count) static files), bytes", Double(transferred), decimals: 0, unit: "B")
        _ = daemon
    }

    static func prepare(path: String, assets count: Int, from start: Instant, to end: Instant) async throws {
        let database = try SiteDatabase(path: path, migrations: SiteSchema.migrations)
        var settings = Site.Settings()
        settings.forecastAfterMeterData = false
        let site = Site(database: database, bcryptCost: 4, settings: settings)
        try site.registry.addStructure()
        _ = try site.registry.addUser(NewUser(username: "admin", email: "admin@example.com", password: "password-admin", roles: ["admin"]))
        let owner = try site.registry.addUser(NewUser(username: "owner", email: "owner@example.com", password: "password-owner", roles: ["Prosumer"]))
        let market = try site.registry.addMarket(NewMarket(name: "bench_da", marketTypeName: "day_ahead", unit: "EUR/MWh", eventResolution: .hours(1)))
        let types = ["battery", "building", "one-way_evse", "solar"]
        var generator = SeriesGenerator(seed: 13)
        let slots = Int((end - start).microseconds / Timespan.minutes(15).microseconds)
        for index in 0..<count {
            var fields = AssetFields(
                name: "asset-\(index)", assetTypeName: types[index % types.count], capacityInMW: 10, eventResolution: .minutes(15),
                latitude: 52.0 + Double(index % 7) * 0.001, longitude: 4.0 + Double(index / 7) * 0.001, ownerID: owner.id
            )
            fields.marketID = market.id
            if fields.assetTypeName == "battery" {
                fields.minSOCInMWh = 0
                fields.maxSOCInMWh = 10
            }
            let asset = try site.registry.addAsset(fields)
            let sign = fields.assetTypeName == "solar" ? -1.0 : 1.0
            let values = generator.meterValues(count: slots, resolution: .minutes(15)).map { sign * abs($0) / 10 }
            let beliefs = values.enumerated().map { slot, value in
                let eventStart = start + .minutes(Int64(15 * slot))
                return Belief(sensorID: asset.id, eventStart: eventStart, beliefTime: eventStart + .minutes(15), sourceID: 0, value: value)
            }
            try await site.ingest(beliefs, from: .user(id: owner.id, name: owner.username))
        }
        let hours = slots / 4
        let prices = generator.meterValues(count: hours, resolution: .hours(1)).map { 50 + abs($0) }
        try await site.ingest(prices.enumerated().map { hour, value in
            Belief(sensorID: market.id, eventStart: start + .hours(Int64(hour)), beliefTime: start + .hours(Int64(hour)) - .hours(12), sourceID: 0, value: value)
        }, from: .script(name: "bench prices", type: .script))
        _ = try site.store.maintain()
    }
}
