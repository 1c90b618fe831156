import Foundation

/// An HTTP answer as the tests read it, whether a daemon sent it over a socket or the router answered in
/// process.
public struct HTTPReply: Sendable {
    public let status: Int
    public let headers: [String: String]
    public let body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }
    public var jsonList: [[String: Any]]? { try? JSONSerialization.jsonObject(with: body) as? [[String: Any]] }
    public var statusString: String? { json?["status"] as? String }
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// The site the API tests work on, in a daemon or in process: its users, and the entity addresses of its
/// assets (ids follow from the order of creation: market epex_da is sensor 1). A site type adopts it to
/// name them as its own (`APISite.cs1`).
public protocol TestSiteLayout {}

extension TestSiteLayout {
    /// admin, prosumer (owns cs1, solar, battery), other (owns theirs), mdc, anonymous, norole.
    public static var userRoles: [(name: String, roles: [String])] {
        [("admin", ["admin"]), ("prosumer", ["Prosumer"]), ("other", ["Prosumer"]), ("mdc", ["MDC"]), ("anonymous", ["anonymous"]), ("norole", [])]
    }
    public static var authority: String { "ea1.2018-06.io.flexmeasures.company" }
    public static var cs1: String { "\(authority):2:2" }
    public static var solar: String { "\(authority):2:3" }
    public static var battery: String { "\(authority):2:4" }
    public static var theirs: String { "\(authority):3:5" }
    public static var hourly: String { "\(authority):2:7" }
}
