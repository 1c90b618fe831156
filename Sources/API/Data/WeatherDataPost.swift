import Beliefs
import Hummingbird
import Registry
import Site

/// `postWeatherData`: observations and forecasts of weather sensors, in their type's unit.
enum WeatherDataPost {
    /// The spellings each weather quantity's unit is accepted in.
    static let units: [String: Set<String>] = [
        "temperature": ["°C", "degC", "0C"],
        "wind_speed": ["m/s"],
        "radiation": ["kW/m²", "kW/m2"],
    ]

    static func route(_ version: APIVersion, _ services: APIServices) -> APIRoute {
        MessageEndpoint(name: "postWeatherData", roles: ServiceAccess.dataRoles).sensorDataRoute(
            version, services, key: "sensor", plural: "sensors",
            noneNamed: .unrecognizedSensor("the message names no sensor: add \"sensor\": \"ea1.2021-01.io.flexmeasures:<type>:<latitude>:<longitude>\"")
        ) { address in
            let sensor = try sensor(address, services: services)
            return (
                PostedSensor(id: sensor.id, resolution: sensor.eventResolution, name: sensor.weatherSensorTypeName),
                (units[sensor.weatherSensorTypeName] ?? []).union([sensor.unit])
            )
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
        guard let sensor = try services.registry.weatherSensor(type: parts[0], latitude: latitude, longitude: longitude) else {
            // Only a miss needs to know why: an unknown type, or no sensor of the type here.
            guard try services.registry.weatherSensorType(named: parts[0]) != nil else {
                throw APIError.unrecognizedSensor("No sensor is known at this location: '\(parts[0])' is not a weather sensor type (temperature, wind_speed, radiation)")
            }
            let hint = try services.registry.nearestWeatherSensor(type: parts[0], latitude: latitude, longitude: longitude)
                .map { " The nearest sensor is at latitude \($0.latitude) and longitude \($0.longitude)." } ?? " In fact, we can't find any sensors."
            throw APIError.unrecognizedSensor("No sensor is known at this location.\(hint)")
        }
        return sensor
    }
}
