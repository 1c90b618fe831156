import Beliefs
import Hummingbird
import Registry

/// `postPriceData`: prices of a market, in the market's unit.
enum PriceDataPost {
    static func route(_ version: APIVersion, _ services: APIServices) -> APIRoute {
        let endpoint = MessageEndpoint(name: "postPriceData", roles: ServiceAccess.dataRoles)
        return APIRoute(.post, "\(version.prefix)/\(endpoint.name)") { request, _ in
            try await endpoint.handle(request, services: services) { user, message in
                let source = try services.registry.dataSource(ofUser: user)
                let arrival = services.clock()
                var beliefs: [Belief] = []
                for group in try message.groups() {
                    guard let names = try group.strings("market", "markets"), !names.isEmpty else {
                        throw APIError.unrecognizedMarket("the message names no market: add \"market\": \"ea1.2021-01.io.flexmeasures:<market name>\"")
                    }
                    let series = try group.series()
                    let timing = try PostTiming(group, version: version, arrival: arrival)
                    for name in names {
                        let market = try market(named: name, services: services)
                        let unit = group.fields["unit"]?.stringValue
                        guard unit == market.unit else {
                            throw APIError.invalidUnit("Data should be given in \(market.unit), the unit of market \(market.name), not \(unit.map { "'\($0)'" } ?? "without a unit")")
                        }
                        let fitted = try fitting(series, to: market.eventResolution, name: "market \(market.name)")
                        beliefs += timing.beliefs(of: fitted, sensorID: market.id, sourceID: source.id)
                    }
                }
                try await services.store(beliefs)
                return endpoint.processed()
            }
        }
    }

    static func market(named address: String, services: APIServices) throws -> Market {
        let name: String
        do {
            name = try EntityAddress(parsing: address, localParts: 1...1).localParts[0]
        } catch {
            throw APIError.invalidDomain("\(error.description); markets are named ea1.<YYYY-MM>.<naming authority>:<market name>")
        }
        guard let market = try services.registry.market(named: name) else {
            throw APIError.unrecognizedMarket("The requested market named \(name) is not known.")
        }
        return market
    }
}
