import Registry
import Site

/// The API versions the daemon serves, with what differs between them.
public enum APIVersion: String, CaseIterable, Sendable {
    case v1 = "v1"
    case v1_1 = "v1_1"
    case v1_2 = "v1_2"
    case v1_3 = "v1_3"
    case v2_0 = "v2_0"

    /// The version as messages write it ("1.0", ..., "2.0").
    public var number: String {
        switch self {
        case .v1: "1.0"
        case .v1_1: "1.1"
        case .v1_2: "1.2"
        case .v1_3: "1.3"
        case .v2_0: "2.0"
        }
    }

    public var prefix: String { "/api/\(rawValue)" }

    /// From v2.0 on a plain `horizon` on a POST is rolling and `R/...` is refused; before, `horizon`
    /// is required and a plain one counts from the end of the whole posted period.
    public var hasRollingHorizons: Bool { self == .v2_0 }

    /// v1.2 plans a device when its device message is asked for; from v1.3 on a UDI event queues the
    /// scheduling job that plans it.
    public var devicePlanning: DevicePlanning { isAtLeast(.v1_3) ? .byJob : .onRequest }

    /// v1.2 wants a UDI event later than the asset's latest; from v1.3 on the same datetime will do.
    public var udiEventDatetimes: UDIEventReport.DatetimeRule { isAtLeast(.v1_3) ? .notEarlier : .later }

    public func isAtLeast(_ other: APIVersion) -> Bool {
        Self.allCases.firstIndex(of: self)! >= Self.allCases.firstIndex(of: other)!
    }
}

/// The roles that may use the data services (the reference's getService listings).
enum ServiceAccess {
    /// The roles of the data services, in the order the reference's getService lists them.
    static let dataRoleList: [Role] = [.aggregator, .supplier, .mdc, .dso, .prosumer, .esco]
    /// The roles of the control services (UDI events, device messages), in the reference's order.
    static let controlRoleList: [Role] = [.prosumer, .esco]
    static let dataRoles = Set(dataRoleList)
    static let controlRoles = Set(controlRoleList)
}
