import BeliefStore
import Beliefs
import Foundation
import Logging
import Site
import SiteDatabase
import TestSupport
import Uplink

/// A belief as both sides can state it exactly: site sensor and source ids, event start and horizon in
/// microseconds, the two doubles bit for bit.
struct ForwardedBelief: Hashable, Comparable, CustomStringConvertible {
    let sensor: Int64
    let source: Int64
    let eventStart: Int64
    let horizon: Int64
    let probability: UInt64
    let value: UInt64

    static func < (a: Self, b: Self) -> Bool {
        (a.sensor, a.source, a.eventStart, a.horizon, a.probability, a.value) < (b.sensor, b.source, b.eventStart, b.horizon, b.probability, b.value)
    }

    var description: String {
        "sensor \(sensor) source \(source) start \(eventStart) horizon \(horizon) p \(Double(bitPattern: probability)) value \(Double(bitPattern: value))"
    }
}

/// A site on a temporary database file, forwarding to a `TemporaryPostgres`.
final class UplinkSite: @unchecked Sendable {
    let file: TemporaryDatabase
    let site: Site

    init() throws {
        file = try TemporaryDatabase()
        site = Site(database: try SiteDatabase(path: file.path, migrations: SiteSchema.migrations), bcryptCost: 4, settings: Site.Settings())
    }

    /// A site on a file made before.
    init(file: TemporaryDatabase) throws {
        self.file = file
        site = Site(database: try SiteDatabase(path: file.path, migrations: SiteSchema.migrations), bcryptCost: 4, settings: Site.Settings())
    }

    static func configuration(_ server: TemporaryPostgres, site name: String, tls: String = "disable") throws -> UplinkConfiguration {
        try UplinkConfiguration(
            url: "postgres://fleet@127.0.0.1:\(server.port)/fleet?sslmode=\(tls)", password: server.password, siteName: name
        )
    }

    func forwarder(_ server: TemporaryPostgres, name: String, batch: Int = 100_000, heartbeat: Duration = .seconds(30)) throws -> UplinkForwarder {
        var tuning = UplinkForwarder.Tuning()
        tuning.heartbeat = heartbeat
        tuning.batchBeliefs = batch
        tuning.idlePoll = .milliseconds(50)
        tuning.firstRetryDelay = .milliseconds(100)
        tuning.longestRetryDelay = .milliseconds(400)
        tuning.timeout = .seconds(5)
        return UplinkForwarder(
            site: site, configuration: try Self.configuration(server, site: name), tuning: tuning, logger: Logger(label: "uplink-test")
        )
    }

    /// Every belief the site stores.
    func stored() throws -> [ForwardedBelief] {
        let everything = (from: Instant(microsecondsSinceEpoch: .min / 2), to: Instant(microsecondsSinceEpoch: .max / 2))
        return try site.uplinkCatalog().sensors.flatMap { sensor in
            try site.store.beliefs(sensorID: sensor.id, from: everything.from, to: everything.to).map { belief in
                ForwardedBelief(
                    sensor: sensor.id, source: belief.sourceID, eventStart: belief.eventStart.microsecondsSinceEpoch,
                    horizon: (belief.eventStart + sensor.eventResolution - belief.beliefTime).microseconds,
                    probability: belief.cumulativeProbability.bitPattern, value: belief.value.bitPattern
                )
            }
        }.sorted()
    }

    /// Makes a small charging site with a week of demo data (prices, weather, measurements of every asset).
    func addDemoData() async throws {
        _ = try await site.addDemoSite(DemoSiteRequest(weeks: 1, email: "demo@example.com", password: "demo-password-1"))
    }
}

extension TemporaryPostgres {
    /// Every belief the server holds of site `name`, as the site named them.
    func forwarded(site name: String) throws -> [ForwardedBelief] {
        let text = try psql("""
            SELECT s.site_sensor_id, d.site_source_id, (extract(epoch FROM b.event_start) * 1000000)::bigint,
                (extract(epoch FROM b.belief_horizon) * 1000000)::bigint, b.cumulative_probability, b.event_value
            FROM fleet.timed_belief b JOIN fleet.site f ON f.id = b.site_id
                JOIN fleet.sensor s ON s.id = b.sensor_id AND s.site_id = f.id
                JOIN fleet.data_source d ON d.id = b.source_id AND d.site_id = f.id
            WHERE f.name = '\(name)'
            """)
        return text.split(separator: "\n").map { line in
            let fields = line.split(separator: "|").map(String.init)
            return ForwardedBelief(
                sensor: Int64(fields[0])!, source: Int64(fields[1])!, eventStart: Int64(fields[2])!, horizon: Int64(fields[3])!,
                probability: Double(fields[4])!.bitPattern, value: Double(fields[5])!.bitPattern
            )
        }.sorted()
    }

    /// Rows of `fleet.timed_belief` of site `name`, however they join.
    func rowCount(site name: String) throws -> Int {
        Int(try psql("SELECT count(*) FROM fleet.timed_belief WHERE site_id = (SELECT id FROM fleet.site WHERE name = '\(name)')"))!
    }

    /// A server with the fleet schema made by `uplink init`.
    static func fleet() async throws -> TemporaryPostgres {
        let server = try TemporaryPostgres.start()
        let configuration = try UplinkSite.configuration(server, site: "init")
        _ = try await UplinkSetup.migrateCentralSchema(configuration, logger: Logger(label: "uplink-test"))
        return server
    }
}

/// Polls `condition` until it holds or `seconds` pass.
func eventually(within seconds: Double = 30, _ condition: () throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        try await Task.sleep(for: .milliseconds(50))
    }
    return try condition()
}

extension TemporaryPostgres {
    /// Whether the server holds exactly the beliefs `fixture` stores under `name`, and if not, what differs.
    func holds(site name: String, exactlyAs fixture: UplinkSite) throws -> (Bool, String) {
        let central = try forwarded(site: name), stored = try fixture.stored()
        return (central == stored, difference(central: central, site: stored))
    }
}

/// Beliefs only one side holds, for a failure's message.
func difference(central: [ForwardedBelief], site: [ForwardedBelief]) -> String {
    let centralSet = Set(central), siteSet = Set(site)
    let missing = siteSet.subtracting(centralSet).sorted().prefix(5)
    let extra = centralSet.subtracting(siteSet).sorted().prefix(5)
    return "central \(central.count), site \(site.count); missing centrally: \(missing.map(\.description)); only centrally: \(extra.map(\.description))"
}
