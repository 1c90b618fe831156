import BeliefStore
import Beliefs
import Jobs
import Registry
import Site
import SiteDatabase
import Testing
import TestSupport

/// A site on a temporary database with the standard structure (market epex_da is sensor 1, hourly), a
/// prosumer, and assets of each kind the site operations treat differently, at a clock the test sets.
final class TestSite {
    let file: TemporaryDatabase
    let site: Site
    let user: User
    let evse: Asset
    let solar: Asset
    let battery: Asset
    let hourly: Asset

    /// 2015-06-02T10:00:00Z, unless a test moves it.
    static let now = try! Instant.parseISO8601("2015-06-02T10:00:00Z")

    init(settings: Site.Settings = Site.Settings(), now: Instant = TestSite.now, clock: (@Sendable () -> Instant)? = nil) throws {
        file = try TemporaryDatabase()
        let database = try SiteDatabase(path: file.path, migrations: SiteSchema.migrations)
        let registry = Registry(database: database, bcryptCost: 4)
        _ = try registry.addStructure()
        let owner = try registry.addUser(NewUser(username: "prosumer", email: "prosumer@example.com", password: "password-prosumer", roles: ["Prosumer"]))
        user = owner
        func asset(_ name: String, type: String, resolution: Timespan = .minutes(15), soc: ClosedRange<Double>? = nil) throws -> Asset {
            var fields = AssetFields(
                name: name, assetTypeName: type, unit: "MW", capacityInMW: 2, eventResolution: resolution,
                latitude: 33.5, longitude: 126.5, ownerID: owner.id
            )
            fields.marketID = 1
            fields.minSOCInMWh = soc?.lowerBound
            fields.maxSOCInMWh = soc?.upperBound
            return try registry.addAsset(fields)
        }
        evse = try asset("cs1", type: "one-way_evse")
        solar = try asset("solar", type: "solar")
        battery = try asset("battery", type: "battery", soc: 0...5)
        hourly = try asset("hourly", type: "building", resolution: .hours(1))
        site = Site(
            registry: registry, store: BeliefStore(database: database), jobs: JobQueue(database: database), settings: settings,
            clock: clock ?? { now }
        )
    }

    /// The asset as the registry has it now (its state of charge changes with UDI events).
    func current(_ asset: Asset) throws -> Asset {
        try #require(try site.registry.asset(id: asset.id))
    }

    func beliefs(of sensor: SensorID, from start: String = "2015-06-01T00:00:00Z", to end: String = "2015-06-05T00:00:00Z") throws -> [Belief] {
        try site.store.beliefs(sensorID: sensor, from: Instant.parseISO8601(start), to: Instant.parseISO8601(end))
    }

    /// Runs the queued jobs of every queue here and now, as the daemon's workers would.
    func runQueuedJobs() async {
        for queue in QueueName.allCases {
            await SiteJobs.worker(for: queue, site: site).runUntilIdle()
        }
    }

    /// Hourly prices of market epex_da over 48 hours from 2015-06-02T00:00Z, known the day before.
    func postPrices() async throws {
        let prices = (0..<48).map { Double(40 + $0 % 24) }
        let series = Timeseries(start: try Instant.parseISO8601("2015-06-02T00:00:00Z"), resolution: .hours(1), values: prices)
        let epex = PostedSensor(id: 1, resolution: .hours(1), name: "market epex_da")
        try await site.postSensorData(
            [SeriesPost(series: series, timing: PostTiming(horizon: nil, prior: try Instant.parseISO8601("2015-06-01T12:00:00Z")), sensors: [epex])],
            by: user
        )
    }
}

func instant(_ text: String) -> Instant {
    try! Instant.parseISO8601(text)
}
