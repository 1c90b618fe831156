import BeliefStore
import Beliefs
import Delivery
import Foundation
import Jobs
import Registry
import Site
import SiteDatabase
import Synchronization
import Testing
import TestSupport

/// A site on a temporary database with one battery and a threshold rule on it ("battery hot", above 1 MW),
/// whose notices go out through the real network transport; the site and its job queue share a clock
/// that the test moves by hand (backoffs pass without sleeping).
final class DeliverySite {
    let file: TemporaryDatabase
    let database: SiteDatabase
    let clock: ManualClock
    let site: Site
    let user: User
    let battery: Asset

    static let start = try! Instant.parseISO8601("2015-06-02T10:00:00Z")

    init(delivery: AlertDelivery?, file existing: TemporaryDatabase? = nil, clock: ManualClock = ManualClock(DeliverySite.start)) throws {
        file = try existing ?? TemporaryDatabase()
        database = try SiteDatabase(path: file.path, migrations: SiteSchema.migrations)
        let registry = Registry(database: database, bcryptCost: 4)
        self.clock = clock
        if existing == nil {
            _ = try registry.addStructure()
            user = try registry.addUser(NewUser(username: "prosumer", email: "prosumer@example.com", password: "password-prosumer", roles: ["Prosumer"]))
            var fields = AssetFields(
                name: "battery", assetTypeName: "battery", unit: "MW", capacityInMW: 2, eventResolution: .minutes(15),
                latitude: 33.5, longitude: 126.5, ownerID: user.id
            )
            fields.marketID = 1
            fields.minSOCInMWh = 0
            fields.maxSOCInMWh = 5
            battery = try registry.addAsset(fields)
        } else {
            user = try #require(try registry.user(email: "prosumer@example.com"))
            battery = try #require(try registry.assets().first { $0.fields.name == "battery" })
        }
        let now = clock.now
        site = Site(
            registry: registry, store: BeliefStore(database: database), jobs: JobQueue(database: database, clock: now),
            settings: Site.Settings(), clock: now, alertDelivery: delivery
        )
    }

    /// A new site with the rule.
    static func make(delivery: AlertDelivery?) async throws -> DeliverySite {
        let test = try DeliverySite(delivery: delivery)
        _ = try await test.site.addAlertRule(.object([
            "name": .string("battery hot"), "kind": .string("threshold_above"), "sensor_id": .number(Double(test.battery.id)),
            "value": .number(1), "severity": .string("critical"),
        ]), by: nil)
        return test
    }

    /// The same file opened again, as after a restart of the daemon.
    func reopened(delivery: AlertDelivery?) throws -> DeliverySite {
        try DeliverySite(delivery: delivery, file: file, clock: clock)
    }

    /// Posts the measurement of the quarter hour that ended at the clock's time (over 1 fires, 1 or under
    /// resolves), then moves the clock a quarter hour on.
    func measure(_ value: Double) async throws {
        let slot = clock.now().floored(to: .minutes(15)) - .minutes(15)
        let belief = Belief(sensorID: battery.id, eventStart: slot, beliefTime: clock.now(), sourceID: 0, value: value)
        try await site.ingest([belief], from: .user(id: user.id, name: user.username))
        clock.advance(by: .minutes(15))
    }

    /// Hands new notices to delivery and runs the delivery queue's worker until nothing is claimable now.
    func deliver() async throws {
        try await site.dispatchAlertNotices()
        await SiteJobs.worker(for: .delivery, site: site).runUntilIdle()
    }

    func deliveryJobs() async throws -> [Job] {
        try await site.jobs.jobs(queue: .delivery)
    }
}

/// A clock that stands still until the test moves it.
final class ManualClock: Sendable {
    private let instant: Mutex<Instant>
    init(_ start: Instant) { instant = Mutex(start) }
    var now: @Sendable () -> Instant { { [self] in instant.withLock { $0 } } }
    func advance(by span: Timespan) { instant.withLock { $0 = $0 + span } }
}

