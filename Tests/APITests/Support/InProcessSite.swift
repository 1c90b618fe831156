import API
import BeliefStore
import Beliefs
import Foundation
import HTTPTypes
import Hummingbird
import Jobs
import HummingbirdTesting
import Registry
import Site
import Testing
import TestSupport
import SiteDatabase

/// The site the API handler tests post to and read from, in this process: a temporary database with the
/// standard structure, users of every kind and assets, and the real router answering through
/// HummingbirdTesting, without a listener or a daemon process.
final class InProcessSite: TestSiteLayout {
    let file: TemporaryDatabase
    let services: APIServices
    let router: Router<APIContext>

    init(
        siteSettings: Site.Settings = Site.Settings(), clock: @escaping @Sendable () -> Instant = { .now() },
        configure: (inout APISettings) -> Void = { _ in }
    ) throws {
        file = try TemporaryDatabase()
        let database = try SiteDatabase(path: file.path, migrations: SiteSchema.migrations)
        var apiSettings = APISettings(secretKey: Array("test-secret".utf8), applianceVersion: "test")
        configure(&apiSettings)
        let site = Site(database: database, bcryptCost: 4, settings: siteSettings)
        services = APIServices(site: site, settings: apiSettings, clock: clock)
        let registry = site.registry
        _ = try registry.addStructure()
        for user in Self.userRoles {
            _ = try registry.addUser(NewUser(
                username: user.name, email: "\(user.name)@example.com", password: "password-\(user.name)", roles: user.roles
            ))
        }
        func asset(_ name: String, type: String, owner: Int64, resolution: Timespan = .minutes(15), capacity: Double = 2,
                   latitude: Double = 33.5, longitude: Double = 126.5, market: SensorID? = 1, soc: ClosedRange<Double>? = nil) throws {
            var fields = AssetFields(
                name: name, assetTypeName: type, unit: "MW", capacityInMW: capacity, eventResolution: resolution,
                latitude: latitude, longitude: longitude, ownerID: owner
            )
            fields.marketID = market
            fields.minSOCInMWh = soc?.lowerBound
            fields.maxSOCInMWh = soc?.upperBound
            _ = try registry.addAsset(fields)
        }
        try asset("cs1", type: "one-way_evse", owner: 2)
        try asset("solar", type: "solar", owner: 2)
        try asset("battery", type: "battery", owner: 2, soc: 0...5)
        try asset("theirs", type: "battery", owner: 3)
        _ = try registry.addWeatherSensor(NewWeatherSensor(
            name: "thermometer", weatherSensorTypeName: "temperature", unit: "°C", eventResolution: .minutes(15),
            latitude: 33.4843866, longitude: 126.477859
        ))
        try asset("hourly", type: "building", owner: 2, resolution: .hours(1), capacity: 1, latitude: 33, longitude: 126, market: nil)
        _ = try registry.addMarket(NewMarket(name: "kpx_da", marketTypeName: "day_ahead", unit: "KRW/kWh", eventResolution: .hours(1)))
        router = APIRouter.make(services: services)
    }

    /// A token of the user, issued as requestAuthToken would (without paying for bcrypt).
    func token(_ user: String) throws -> String {
        let found = try #require(try services.registry.user(email: "\(user)@example.com"), "no user \(user)")
        return services.tokens.issue(for: found, at: services.clock())
    }

    /// Sends a message as a user.
    func send(_ method: String, _ path: String, as user: String?, json: Any? = nil) async throws -> Reply {
        try await send(method, path, token: user.map { try token($0) }, json: json)
    }

    /// A GET with its message in the query string.
    func get(_ path: String, as user: String?, query: [String: String]) async throws -> Reply {
        var components = URLComponents()
        components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        let encoded = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return try await send("GET", "\(path)?\(encoded)", token: user.map { try token($0) })
    }

    /// A request as a client writes it, answered by the router.
    func send(_ method: String, _ path: String, token: String? = nil, json: Any? = nil, body raw: Data? = nil,
              headers extra: [String: String] = [:]) async throws -> Reply {
        var headers = HTTPFields()
        if let token { headers[.authorization] = token }
        for (name, value) in extra { if let field = HTTPField.Name(name) { headers[field] = value } }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
            headers[.contentType] = "application/json"
        } else if let raw {
            body = ByteBuffer(bytes: raw)
        }
        let app = Application(router: router)
        return try await app.test(.router) { [headers, body] client in
            try await client.execute(uri: path, method: HTTPRequest.Method(method) ?? .get, headers: headers, body: body) { response in
                HTTPReply(
                    status: Int(response.status.code),
                    headers: Dictionary(response.headers.map { ($0.name.canonicalName, $0.value) }, uniquingKeysWith: { $1 }),
                    body: Data(response.body.readableBytesView)
                )
            }
        }
    }

    typealias Reply = HTTPReply
}

extension InProcessSite {
    /// A site whose restoreData finds its backups in `directory`.
    static func withBackups(at directory: String) throws -> InProcessSite {
        var settings = Site.Settings()
        settings.backupDirectory = directory
        return try InProcessSite(siteSettings: settings)
    }
}

extension InProcessSite {
    /// Runs the queued jobs of every queue here and now, as the daemon's workers would.
    func runQueuedJobs() async {
        for queue in QueueName.allCases {
            await SiteJobs.worker(for: queue, site: services.site).runUntilIdle()
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }
}
