import Beliefs
import Hummingbird
import Registry
import Site

/// `postMeterData` and `postPrognosis`: power values of assets, in MW, consumption positive.
enum PowerDataPost {
    typealias Kind = PowerPost.Kind

    static func route(_ version: APIVersion, _ kind: Kind, _ services: APIServices) -> APIRoute {
        let endpoint = MessageEndpoint(name: kind == .meterData ? "postMeterData" : "postPrognosis", roles: ServiceAccess.dataRoles)
        return APIRoute(.post, "\(version.prefix)/\(endpoint.name)") { request, _ in
            try await endpoint.handle(request, services: services) { user, message in
                let posts = try posts(in: message, from: user, version: version, services: services)
                try await services.site.postPowerData(posts, kind: kind, by: user)
                return endpoint.processed()
            }
        }
    }

    /// The message's groups as posts of the site: each group's series, timing and the assets its
    /// connections name, as the user may see them.
    static func posts(in message: USEFMessage, from user: User, version: APIVersion, services: APIServices) throws -> [PowerPost] {
        let connections = Connections(services: services, user: user)
        return try message.postedGroups().map { group, series in
            let unit = group.fields["unit"]?.stringValue
            guard unit == "MW" else {
                throw APIError.invalidUnit("Data should be given in MW, not \(unit.map { APIError.quoted($0) } ?? "without a unit")")
            }
            let timing = try group.postTiming(version: version)
            let named = try Connections.named(in: group).map { PowerPost.Connection(name: $0, asset: try connections.asset($0)) }
            return PowerPost(series: series, timing: timing, connections: named)
        }
    }
}
