import ArgumentParser
import BeliefStore
import Beliefs
import Foundation
import Registry
import Site
import SiteDatabase
import Synchronization

/// `flexmeasures-bench alerts`: what alerting costs. 1,000 rules on a site of 50 assets: a 96-value
/// postMeterData (`Site.postPowerData`) with the rules judged on ingest, against the same post on a site
/// without rules (medians, in turns); and one pass of the timer over 1,000 rules.
struct AlertsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "A 96-value post with 1,000 alert rules judged on ingest against none, and the timer's pass over 1,000 rules."
    )

    @Option(help: "Posts to time on each site.") var posts = 400
    @Option(help: "Timer passes to time.") var passes = 60
    @Option(help: "The posting site's rules: mixed (20 per asset of six kinds; its nightly leak rule fires and resolves every posted day), quiet (the same, the leak rule's level above the data) or thresholds (20 threshold rules per asset).")
    var mix = "mixed"
    @Option(help: "Folder for the benchmark's database files (default: a new temporary folder).") var directory: String?

    static let assets = 50
    static let rules = 1_000
    static let start = Instant(secondsSinceEpoch: 1_609_459_200) // 2021-01-01T00:00:00Z

    /// The clock of one benchmark site, moved to the end of each posted day.
    final class Clock: Sendable {
        let now = Mutex(AlertsBenchmark.start)
    }

    mutating func run() async throws {
        let folder = try directory.map { URL(fileURLWithPath: $0) } ?? {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("flexmeasures-bench-alerts-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            return url
        }()
        defer { if directory == nil { try? FileManager.default.removeItem(at: folder) } }
        print("# alerts benchmark: \(Self.rules) rules on \(Self.assets) assets, \(posts) posts of 96 values per site, synchronous=FULL")

        let withClock = Clock(), withoutClock = Clock(), timerClock = Clock()
        let (with, withAssets, withUser) = try Self.prepare(folder.appendingPathComponent("with.db").path, clock: withClock)
        let (without, withoutAssets, withoutUser) = try Self.prepare(folder.appendingPathComponent("without.db").path, clock: withoutClock)
        guard ["mixed", "quiet", "thresholds"].contains(mix) else { throw ValidationError("--mix must be mixed, quiet or thresholds") }
        try await Self.addPostRules(to: with, assets: withAssets, thresholdsOnly: mix == "thresholds", leakLevel: mix == "quiet" ? 1_000 : 0.05)
        print(mix == "thresholds"
            ? "# rules per asset: 12 threshold_above, 8 threshold_below"
            : "# rules per asset: 8 threshold_above, 4 threshold_below, 2 flat_line, 2 idle_use, 2 outlier (last week), 2 gap")

        // A week of history first, so that outliers have last week to compare with and flat lines a run.
        var generator = SeriesGenerator(seed: 14)
        var dayIndex: Int64 = 0
        func post(_ site: Site, _ assets: [Asset], _ user: User, _ clock: Clock, asset index: Int, day: Int64) async throws {
            let values = generator.meterValues(count: 96, resolution: .minutes(15)).map { abs($0) / 10 }
            let dayStart = Self.start + .days(day)
            clock.now.withLock { $0 = dayStart + .days(1) }
            let series = Timeseries(start: dayStart, resolution: .minutes(15), values: values)
            let asset = assets[index]
            try await site.postPowerData(
                [PowerPost(series: series, timing: PostTiming(horizon: nil, prior: nil), connections: [.init(name: asset.fields.name, asset: asset)])],
                kind: .meterData, by: user
            )
        }
        for warmup in 0..<7 {
            for index in 0..<Self.assets {
                try await post(with, withAssets, withUser, withClock, asset: index, day: Int64(warmup))
                try await post(without, withoutAssets, withoutUser, withoutClock, asset: index, day: Int64(warmup))
            }
        }
        dayIndex = 7
        var withTimes: [Double] = [], withoutTimes: [Double] = []
        for round in 0..<posts {
            let index = round % Self.assets
            if round > 0, index == 0 { dayIndex += 1 }
            let d = dayIndex
            withTimes.append(try await Stopwatch.seconds { try await post(with, withAssets, withUser, withClock, asset: index, day: d) })
            withoutTimes.append(try await Stopwatch.seconds { try await post(without, withoutAssets, withoutUser, withoutClock, asset: index, day: d) })
        }
        let alertCount = try with.alerts(visibleTo: nil).count
        let notices = try with.notices(limit: 10_000).count
        print("# after the posts: \(alertCount) alerts, \(notices) notices in the outbox")
        report("96-value post without rules, median", withoutTimes.median * 1000, decimals: 3, unit: "ms")
        report("96-value post with 1,000 rules, median", withTimes.median * 1000, decimals: 3, unit: "ms")
        report("rule evaluation per post (difference of medians)", (withTimes.median - withoutTimes.median) * 1000, decimals: 3, unit: "ms")
        report("96-value post without rules, p99", withoutTimes.percentile(0.99) * 1000, decimals: 3, unit: "ms")
        report("96-value post with 1,000 rules, p99", withTimes.percentile(0.99) * 1000, decimals: 3, unit: "ms")

        // The timer's pass: the posting site (100 gap rules among its 1,000), and a site of 1,000 timer rules.
        var mixedPasses: [Double] = []
        for _ in 0..<passes {
            withClock.now.withLock { $0 = $0 + .seconds(30) }
            mixedPasses.append(try await Stopwatch.seconds { _ = try await with.evaluateAlerts(workers: [.scheduling: true, .forecasting: true]) })
        }
        report("timer pass, the posting site's 1,000 rules, median", mixedPasses.median * 1000, decimals: 3, unit: "ms")

        let (timer, timerAssets, timerUser) = try Self.prepare(folder.appendingPathComponent("timer.db").path, clock: timerClock)
        try await Self.addTimerRules(to: timer, assets: timerAssets)
        for index in 0..<Self.assets { try await post(timer, timerAssets, timerUser, timerClock, asset: index, day: 0) }
        var timerPasses: [Double] = []
        var firing = 0
        for _ in 0..<passes {
            timerClock.now.withLock { $0 = $0 + .seconds(30) }
            timerPasses.append(try await Stopwatch.seconds {
                firing += try await timer.evaluateAlerts(workers: [.scheduling: true, .forecasting: true]).notices
            })
        }
        print("# timer site: 940 gap rules (20 per asset but one asset's 40), 20 job_failed, 20 job_overdue, 20 source_silent; \(firing) notices over the passes")
        report("timer pass, 1,000 timer rules, median", timerPasses.median * 1000, decimals: 3, unit: "ms")
        report("timer pass, 1,000 timer rules, p99", timerPasses.percentile(0.99) * 1000, decimals: 3, unit: "ms")
    }

    static func prepare(_ path: String, clock: Clock) throws -> (Site, [Asset], User) {
        let database = try SiteDatabase(path: path, migrations: SiteSchema.migrations)
        var settings = Site.Settings()
        settings.forecastAfterMeterData = false
        let site = Site(database: database, bcryptCost: 4, settings: settings, clock: { clock.now.withLock { $0 } })
        try site.registry.addStructure()
        let user = try site.registry.addUser(NewUser(username: "owner", email: "owner@example.com", password: "password-owner", roles: ["Prosumer", "MDC"]))
        let types = ["battery", "building", "one-way_evse"]
        let assets = try (0..<assets).map { index in
            try site.registry.addAsset(AssetFields(
                name: "asset \(index)", assetTypeName: types[index % types.count], capacityInMW: 10, eventResolution: .minutes(15),
                latitude: 52, longitude: 4, ownerID: user.id
            ))
        }
        return (site, assets, user)
    }

    static func addPostRules(to site: Site, assets: [Asset], thresholdsOnly: Bool, leakLevel: Double) async throws {
        for asset in assets {
            let sensor = JSONValue.number(Double(asset.id))
            var rules: [JSONValue] = []
            if thresholdsOnly {
                for step in 0..<12 { rules.append(["name": .string("high \(step)"), "kind": "threshold_above", "sensor_id": sensor, "value": .number(0.5 + Double(step) / 4), "recovery": .number(0.4 + Double(step) / 4), "for": "PT30M"]) }
                for step in 0..<8 { rules.append(["name": .string("low \(step)"), "kind": "threshold_below", "sensor_id": sensor, "value": .number(-Double(step) / 4), "for": "PT15M"]) }
                for rule in rules { _ = try await site.addAlertRule(rule, by: nil) }
                continue
            }
            for step in 0..<8 { rules.append(["name": .string("high \(step)"), "kind": "threshold_above", "sensor_id": sensor, "value": .number(0.5 + Double(step) / 4), "recovery": .number(0.4 + Double(step) / 4), "for": "PT30M"]) }
            for step in 0..<4 { rules.append(["name": .string("low \(step)"), "kind": "threshold_below", "sensor_id": sensor, "value": .number(-Double(step) / 4), "for": "PT15M"]) }
            rules.append(["name": "stuck", "kind": "flat_line", "sensor_id": sensor, "duration": "PT2H"])
            rules.append(["name": "stuck long", "kind": "flat_line", "sensor_id": sensor, "duration": "PT6H"])
            rules.append(["name": "leak", "kind": "idle_use", "sensor_id": sensor, "level": .number(leakLevel), "window": "01:00-05:00", "for": "PT1H"])
            rules.append(["name": "never off", "kind": "idle_use", "sensor_id": sensor, "level": 0, "for": "PT12H"])
            rules.append(["name": "odd", "kind": "outlier", "sensor_id": sensor, "factor": 5, "floor": 0.5])
            rules.append(["name": "odd strict", "kind": "outlier", "sensor_id": sensor, "factor": 3, "floor": 0.2])
            rules.append(["name": "gap", "kind": "gap", "sensor_id": sensor, "resolutions": 3])
            rules.append(["name": "gap long", "kind": "gap", "sensor_id": sensor, "duration": "PT6H"])
            for rule in rules { _ = try await site.addAlertRule(rule, by: nil) }
        }
    }

    static func addTimerRules(to site: Site, assets: [Asset]) async throws {
        for (index, asset) in assets.enumerated() {
            for step in 0..<(index == 0 ? 40 : 18) {
                _ = try await site.addAlertRule(["name": .string("gap \(step)"), "kind": "gap", "sensor_id": .number(Double(asset.id)), "duration": .string("PT\(5 + step)M")], by: nil)
            }
        }
        for step in 0..<20 {
            _ = try await site.addAlertRule(["name": .string("failed \(step)"), "kind": "job_failed", "duration": "PT1H"], by: nil)
            _ = try await site.addAlertRule(["name": .string("overdue \(step)"), "kind": "job_overdue", "duration": "PT10M"], by: nil)
            _ = try await site.addAlertRule(["name": .string("source \(step)"), "kind": "source_silent", "duration": .string("PT\(10 + step)M")], by: nil)
        }
    }
}
