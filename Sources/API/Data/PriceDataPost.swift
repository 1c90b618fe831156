import Beliefs
import Hummingbird
import Registry
import Site

/// `postPriceData`: prices of a market, in the market's unit.
enum PriceDataPost {
    static func route(_ version: APIVersion, _ services: APIServices) -> APIRoute {
        MessageEndpoint(name: "postPriceData", roles: ServiceAccess.dataRoles).sensorDataRoute(
            version, services, key: "market", plural: "markets",
            noneNamed: .unrecognizedMarket("the message names no market: add \"market\": \"ea1.2021-01.io.flexmeasures:<market name>\"")
        ) { address in
            let market = try market(named: address, services: services)
            return (PostedSensor(id: market.id, resolution: market.eventResolution, name: "market \(market.name)"), [market.unit])
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
