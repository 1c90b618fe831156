import Beliefs
import Hummingbird
import Registry

/// `postWeatherData`: observations and forecasts of weather sensors, in their type's unit.
enum WeatherDataPost {
    /// The spellings each weather quantity's unit is accepted in.
    static let units: [String: Set<String>] = [
        "temperature": ["°C", "degC", "0C"],
        "wind_speed": ["m/s"],
        "radiation": ["kW/m²", "kW/m2"],
    ]

    static func route(_ version: APIVersion, _ services: APIServices) -> APIRoute {
        let endpoint = MessageEndpoint(name: "postWeatherData", roles: ServiceAccess.dataRoles)
        return APIRoute(.post, "\(version.prefix)/\(endpoint.name)") { request, _ in
            try await endpoint.handle(request, services: services) { user, message in
                let source = try services.registry.dataSource(ofUser: user)
                let arrival = services.clock()
                var beliefs: [Belief] = []
                for group in try message.groups() {
                    guard let addresses = try group.strings("sensor", "sensors"), !addresses.isEmpty else {
                        throw APIError.unrecognizedSensor("the message names no sensor: add \"sensor\": \"ea1.2021-01.io.flexmeasures:<type>:<latitude>:<longitude>\"")
                    }
                    let series = try group.series()
                    let timing = try PostTiming(group, version: version, arrival: arrival)
                    for address in addresses {
                        let sensor = try sensor(address, services: services)
                        let unit = group.fields["unit"]?.stringValue
                        let accepted = units[sensor.weatherSensorTypeName] ?? [sensor.unit]
                        guard let unit, accepted.contains(unit) || unit == sensor.unit else {
                            throw APIError.invalidUnit("Data for \(sensor.weatherSensorTypeName) should be given in \(accepted.sorted().joined(separator: " or ")), not \(unit.map { "'\($0)'" } ?? "without a unit")")
                        }
                        let fitted = try fitting(series, to: sensor.eventResolution, name: "weather sensor \(sensor.name)")
                        beliefs += timing.beliefs(of: fitted, sensorID: sensor.id, sourceID: source.id)
                    }
                }
                try await services.store(beliefs)
                return endpoint.processed()
            }
        }
    }

    static func sensor(_ address: String, services: APIServices) throws -> WeatherSensor {
        let parts: [String]
        do {
            parts = try EntityAddress(parsing: address, localParts: 3...3).localParts
        } catch {
            throw APIError.invalidDomain("\(error.description); weather sensors are named ea1.<YYYY-MM>.<naming authority>:<type>:<latitude>:<longitude>")
        }
        guard let latitude = Double(parts[1]), let longitude = Double(parts[2]) else {
            throw APIError.invalidDomain("'\(address)': latitude and longitude must be numbers")
        }
        guard try services.registry.weatherSensorType(named: parts[0]) != nil else {
            throw APIError.unrecognizedSensor("No sensor is known at this location: '\(parts[0])' is not a weather sensor type (temperature, wind_speed, radiation)")
        }
        guard let sensor = try services.registry.weatherSensor(type: parts[0], latitude: latitude, longitude: longitude) else {
            let hint = try services.registry.nearestWeatherSensor(type: parts[0], latitude: latitude, longitude: longitude)
                .map { " The nearest sensor is at latitude \($0.latitude) and longitude \($0.longitude)." } ?? " In fact, we can't find any sensors."
            throw APIError.unrecognizedSensor("No sensor is known at this location.\(hint)")
        }
        return sensor
    }
}
