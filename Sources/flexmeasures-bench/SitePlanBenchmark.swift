import ArgumentParser
import BeliefStore
import Beliefs
import Foundation
import Registry
import Site
import SiteDatabase

/// `flexmeasures-bench site-plan`: a charging site as the gateways see it. A battery and four charge points
/// behind one grid connection smaller than their sum, with the building's load, at 5 minutes over a week
/// (2,016 slots), efficiencies of 0.95 (with `--negative-middays`, prices that go negative around every
/// midday, so the scheduler must rule out charging and discharging at once): postUdiEvent for the battery
/// until its device message is ready, each time re-planning all five devices together.
struct SitePlanBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site-plan",
        abstract: "postUdiEvent to a ready device message for a battery and four charge points on one grid connection (2,016 slots)."
    )

    @Option(help: "Timed UDI events of the battery.") var runs = 10
    @Option(help: "The daemon binary (default: flexmeasures beside this benchmark).") var daemon: String?
    @Flag(help: "Push prices below zero around every midday, so that the plan must rule out charging and discharging at once (the MIP).")
    var negativeMiddays = false

    func pricesOfTheWeek(_ prices: [Double]) -> [Double] {
        negativeMiddays ? SchedulingBenchmark.withSolarDip(prices, slotHours: 1) : prices
    }

    static let resolution = Timespan.minutes(5)
    static let week = Timespan.days(7)
    static let email = "site@example.com"
    static let password = "benchmark-password"

    func run() async throws {
        let folder = try StoreBenchmark.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("site.db").path
        let (battery, chargePoints) = try Self.prepareSite(database: database)
        let running = try BenchDaemon(binary: daemon, database: database, environment: ["FLEXMEASURES_PLANNING_HORIZON": "P7D"])
        defer { withExtendedLifetime(running) {} }
        let connection = try HTTPConnection(port: running.port)
        let token = try running.token(on: connection, email: Self.email, password: Self.password)
        print("# site plan: a battery and \(chargePoints.count) charge points behind 1.5 MW import / 1 MW export, \(Self.week.microseconds / Self.resolution.microseconds) slots, efficiencies 0.95, \(negativeMiddays ? "negative middays" : "positive prices")")

        var prices = SeriesGenerator(seed: 11)
        let priceMessage = #"{"type": "PostPriceDataRequest", "market": "ea1.2021-01.io.flexmeasures:epex_da", "start": "2021-01-01T00:00:00Z", "duration": "P7D", "prior": "2020-12-31T12:00:00Z", "unit": "EUR/MWh", "values": ["#
            + pricesOfTheWeek(prices.priceValues(count: 168, resolution: .hours(1)))
                .map { "\($0)" }.joined(separator: ", ") + "]}"
        let posted = try connection.send("POST", "/api/v2_0/postPriceData", token: token, body: Array(priceMessage.utf8))
        precondition(posted.status == 200, "prices failed with \(posted.status)")

        // Each charge point has a car that must be charged by an evening of the week.
        for (index, chargePoint) in chargePoints.enumerated() {
            let target = #"[{"value": 1.2, "datetime": "2021-01-0\#(index + 2)T18:00:00Z"}]"#
            _ = try Self.plan(asset: chargePoint, event: 1, soc: 0, targets: target, connection: connection, token: token)
        }
        var times: [Double] = []
        for event in 1...runs {
            let target = #"[{"value": 4.0, "datetime": "2021-01-03T12:00:00Z"}, {"value": 1.0, "datetime": "2021-01-06T06:00:00Z"}]"#
            var values = 0
            times.append(try Stopwatch.seconds {
                values = try Self.plan(asset: battery, event: event, soc: 1.5, targets: target, connection: connection, token: token)
            })
            precondition(values == 2016, "the battery's plan has \(values) values, not 2016")
        }
        report("site of 5 devices, 2,016 slots: postUdiEvent to getDeviceMessage ready median ms", times.median * 1000, decimals: 1)
        report("site of 5 devices, 2,016 slots: postUdiEvent to getDeviceMessage ready max ms", (times.max() ?? .nan) * 1000, decimals: 1)

        // The same joint plan made in this process from the daemon's file: the planning alone (reading the
        // devices, prices and load, building and solving the program), without HTTP, the queue or storing.
        var settings = Site.Settings()
        settings.planningHorizon = Self.week
        let site = Site(database: try SiteDatabase(path: database, migrations: SiteSchema.migrations), bcryptCost: 4, settings: settings)
        guard let asset = try site.registry.asset(id: battery), let event = try site.registry.udiEvent(assetID: battery, eventID: Int64(runs)) else {
            throw HTTPConnection.Failure(description: "the battery or its last UDI event is gone")
        }
        var planning: [Double] = []
        for _ in 0..<5 {
            planning.append(try Stopwatch.seconds { _ = try SchedulingJob.plan(event: event, asset: asset, horizon: Self.week, site: site) })
        }
        report("site of 5 devices, 2,016 slots: the joint plan alone median ms", planning.median * 1000, decimals: 1)
    }

    /// Posts a UDI event and asks for the device message until it is ready; returns its number of values.
    static func plan(asset: SensorID, event: Int, soc: Double, targets: String, connection: HTTPConnection, token: String) throws -> Int {
        let address = "ea1.2021-01.io.flexmeasures:1:\(asset):\(event):soc-with-targets"
        let udi = #"{"type": "PostUdiEventRequest", "event": "\#(address)", "value": \#(soc), "unit": "MWh", "datetime": "2021-01-01T00:00:00Z", "targets": \#(targets)}"#
        let posted = try connection.send("POST", "/api/v2_0/postUdiEvent", token: token, body: Array(udi.utf8))
        precondition(posted.status == 200, "postUdiEvent failed: \(String(decoding: posted.body, as: UTF8.self))")
        let query = "/api/v2_0/getDeviceMessage?type=GetDeviceMessageRequest&event=\(address)"
        while true {
            let reply = try connection.send("GET", query, token: token)
            if reply.status == 200 {
                let message = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
                return (message?["values"] as? [Any])?.count ?? 0
            }
            let text = String(decoding: reply.body, as: UTF8.self)
            precondition(text.contains("in progress") || text.contains("waiting"), "getDeviceMessage: \(text)")
        }
    }

    /// The site: a user owning the battery, the charge points and the building, the building's load for the
    /// week (known a day ahead), and the grid connection with the building as its inflexible load.
    static func prepareSite(database path: String) throws -> (battery: SensorID, chargePoints: [SensorID]) {
        let site = try SiteDatabase(path: path, migrations: SiteSchema.migrations)
        let registry = Registry(database: site, bcryptCost: 10)
        try registry.addStructure()
        let user = try registry.addUser(NewUser(username: "site", email: email, password: password, roles: ["Prosumer", "MDC"]))
        let market = try registry.market(named: "epex_da")?.id
        func asset(_ name: String, type: String, capacity: Double, soc: (Double, Double)? = nil) throws -> SensorID {
            try registry.addAsset(AssetFields(
                name: name, assetTypeName: type, capacityInMW: capacity, minSOCInMWh: soc?.0, maxSOCInMWh: soc?.1,
                eventResolution: resolution, latitude: 52, longitude: 4, ownerID: user.id, marketID: market,
                chargingEfficiency: 0.95, dischargingEfficiency: 0.95
            )).id
        }
        let battery = try asset("battery", type: "battery", capacity: 2, soc: (0, 5))
        let chargePoints = try (1...4).map { try asset("charge point \($0)", type: "one-way_evse", capacity: 0.5) }
        let building = try asset("building", type: "building", capacity: 1)
        let start = try Instant.parseISO8601("2021-01-01T00:00:00Z")
        let slots = Int(week.microseconds / resolution.microseconds)
        var load = SeriesGenerator(seed: 13)
        let store = BeliefStore(database: site)
        let source = try site.write { db in try SensorCatalog.scriptSource(name: "building forecast", type: .forecaster, in: db).id }
        try store.appendNow(load.meterValues(count: slots, resolution: resolution).enumerated().map { slot, value in
            Belief(sensorID: building, eventStart: start + resolution * Int64(slot), beliefTime: start - .days(1), sourceID: source, value: 0.2 + abs(value) / 10)
        })
        _ = try registry.setGridConnection(GridConnection(importCapacityInMW: 1.5, exportCapacityInMW: 1, inflexibleAssetID: building))
        return (battery, chargePoints)
    }
}
