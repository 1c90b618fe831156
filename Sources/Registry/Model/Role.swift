import Foundation

/// The roles of the reference's API (14.2); each service lists the roles that may use it.
public enum Role: String, CaseIterable, Hashable, Sendable, Codable {
    case admin
    case prosumer = "Prosumer"
    case supplier = "Supplier"
    case aggregator = "Aggregator"
    case esco = "ESCo"
    case mdc = "MDC"
    case dso = "DSO"
    case anonymous

    /// Parses a role name case-insensitively ("prosumer" and "Prosumer" are the same role).
    public init?(named name: String) {
        let wanted = name.trimmingCharacters(in: .whitespaces).lowercased()
        guard let role = Role.allCases.first(where: { $0.rawValue.lowercased() == wanted }) else { return nil }
        self = role
    }

    var summary: String {
        switch self {
        case .admin: "may do everything, for every user"
        case .prosumer: "owns assets and their data"
        case .supplier: "supplies energy, posts prices"
        case .aggregator: "aggregates flexibility"
        case .esco: "energy service company"
        case .mdc: "meter data company, posts meter data"
        case .dso: "distribution system operator"
        case .anonymous: "demo access without data services"
        }
    }
}
