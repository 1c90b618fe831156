import Beliefs
import BeliefStore
import Console
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Registry
import Site
import SiteDatabase
import Testing
import TestSupport

/// The console over a temporary site, answered in process by the real router (HummingbirdTesting): users
/// admin, prosumer (owns battery, solar, cs1), other (owns theirs); a market with prices. Each `Visitor`
/// keeps its own cookies, as a browser would.
final class InProcessConsole: TestSiteLayout, @unchecked Sendable {
    let file: TemporaryDatabase
    let site: Site
    let services: ConsoleServices
    let router: Router<ConsoleContext>
    let now: Instant

    /// `frozenAt`: the site's clock stands at that instant.
    init(frozenAt: Instant? = nil, configure: (inout ConsoleSettings) -> Void = { _ in }) throws {
        let clock: @Sendable () -> Instant
        if let frozenAt { clock = { frozenAt } } else { clock = { Instant.now() } }
        file = try TemporaryDatabase()
        let database = try SiteDatabase(path: file.path, migrations: SiteSchema.migrations)
        let now = clock()
        self.now = now
        site = Site(database: database, bcryptCost: 4, settings: Site.Settings(), clock: clock)
        var settings = ConsoleSettings()
        configure(&settings)
        services = ConsoleServices(site: site, settings: settings, clock: clock)
        let registry = site.registry
        _ = try registry.addStructure()
        for user in Self.userRoles {
            _ = try registry.addUser(NewUser(
                username: user.name, email: "\(user.name)@example.com", password: "password-\(user.name)", roles: user.roles
            ))
        }
        func asset(_ name: String, type: String, owner: Int64, soc: ClosedRange<Double>? = nil) throws {
            var fields = AssetFields(
                name: name, assetTypeName: type, unit: "MW", capacityInMW: 2, eventResolution: .minutes(15),
                latitude: 52.37, longitude: 4.89, ownerID: owner
            )
            fields.marketID = 1
            fields.minSOCInMWh = soc?.lowerBound
            fields.maxSOCInMWh = soc?.upperBound
            _ = try registry.addAsset(fields)
        }
        try asset("battery", type: "battery", owner: 2, soc: 0...5)
        try asset("solar", type: "solar", owner: 2)
        try asset("cs1", type: "one-way_evse", owner: 2)
        try asset("theirs", type: "battery", owner: 3)
        router = try ConsoleRouter.make(services: services)
    }

    func id(ofAsset name: String) throws -> SensorID {
        try #require(try site.registry.asset(named: name)).id
    }

    /// A browser of its own: cookies kept between requests.
    func visitor() -> Visitor { Visitor(console: self) }

    /// A visitor signed in as `user` through the login form.
    func signedIn(_ user: String) async throws -> Visitor {
        let visitor = visitor()
        let reply = try await visitor.login(email: "\(user)@example.com", password: "password-\(user)")
        #expect(reply.status == 303, "login of \(user): \(reply.status) \(reply.text)")
        return visitor
    }

    struct Reply {
        let status: Int
        let headers: HTTPFields
        let body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        var location: String? { headers[.location] }
        var setCookies: [String] { headers[values: .setCookie] }
        var jsonList: [[String: Any]]? { try? JSONSerialization.jsonObject(with: body) as? [[String: Any]] }
    }

    final class Visitor: @unchecked Sendable {
        let console: InProcessConsole
        var cookies: [String: String] = [:]

        init(console: InProcessConsole) { self.console = console }

        /// The CSRF token of this visitor's session (what its pages' forms carry).
        var csrfToken: String? {
            cookies["fm_session"].flatMap { try? console.site.session(token: $0)?.csrfToken }
        }

        @discardableResult
        func login(email: String, password: String, next: String = "/dashboard") async throws -> Reply {
            let page = try await get("/login")
            let csrf = try #require(Self.hiddenValue("csrf_token", in: page.text))
            return try await post("/login", form: ["csrf_token": csrf, "email": email, "password": password, "next": next], addCSRF: false)
        }

        func get(_ path: String, headers extra: HTTPFields = [:]) async throws -> Reply {
            try await send(.get, path, headers: extra)
        }

        /// A form post; the session's CSRF token is added unless `addCSRF` is false or the form has one.
        func post(_ path: String, form: [String: String], addCSRF: Bool = true, headers extra: HTTPFields = [:]) async throws -> Reply {
            var form = form
            if addCSRF, form["csrf_token"] == nil, let token = csrfToken { form["csrf_token"] = token }
            var components = URLComponents()
            components.queryItems = form.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
            let body = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
            var headers = extra
            headers[.contentType] = "application/x-www-form-urlencoded"
            return try await send(.post, path, headers: headers, body: ByteBuffer(string: body))
        }

        func send(_ method: HTTPRequest.Method, _ path: String, headers extra: HTTPFields = [:], body: ByteBuffer? = nil) async throws -> Reply {
            var headers = extra
            if !cookies.isEmpty {
                headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            }
            let app = Application(router: console.router)
            let reply = try await app.test(.router) { [headers, body] client in
                try await client.execute(uri: path, method: method, headers: headers, body: body) { response in
                    Reply(status: Int(response.status.code), headers: response.headers, body: Data(response.body.readableBytesView))
                }
            }
            for cookie in reply.setCookies {
                let pair = cookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
                if value.isEmpty || cookie.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
            }
            return reply
        }

        static func hiddenValue(_ name: String, in html: String) -> String? {
            guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
            return String(html[range.upperBound...].prefix { $0 != "\"" })
        }
    }
}
