import Beliefs
import Hummingbird
import Registry
import Site

/// What every USEF message endpoint shares: its request and response types, the roles that may use
/// it, and the shape of its answers.
struct MessageEndpoint: Sendable {
    let name: String
    let roles: Set<Role>

    var requestType: String { name.prefix(1).uppercased() + name.dropFirst() + "Request" }
    var responseType: String { name.prefix(1).uppercased() + name.dropFirst() + "Response" }

    /// Authenticates, checks the role and the message type, runs `body`, and labels any refusal with
    /// this endpoint's response type.
    func handle(
        _ request: Request, services: APIServices,
        _ body: (User, USEFMessage) async throws -> Response
    ) async throws -> Response {
        do {
            let user = try services.authenticate(request)
            try services.require(user, anyOf: roles, for: name)
            let message = USEFMessage(try await JSONBody.message(of: request, limit: services.settings.maximumBodyBytes))
            try message.requireType(requestType)
            return try await body(user, message)
        } catch {
            guard var refusal = APIError(refusal: error) else { throw error }
            refusal.responseType = responseType
            throw refusal
        }
    }

    /// The answer to a POST that stored everything.
    func processed() -> Response {
        JSONBody.response(.object([
            "type": .string(responseType), "status": .string("PROCESSED"), "message": .string("Request has been processed."),
        ]))
    }
}

extension USEFMessage {
    /// When the values of a posted group were known, as each version spells it (API-NOTES, "Beliefs:
    /// horizon and prior"): before v2.0 a horizon is required and `R/` makes it rolling; from v2.0 a
    /// horizon is rolling by itself and a prior may come with it or instead of it.
    func postTiming(version: APIVersion) throws -> PostTiming {
        let horizon = try horizon()
        if version.hasRollingHorizons {
            if let horizon, horizon.isRolling {
                throw APIError.invalidHorizon("from API v2.0 on a horizon is rolling by itself: write \(horizon.duration.iso8601) instead of R/\(horizon.duration.iso8601)")
            }
            return PostTiming(horizon: horizon.map { Horizon(duration: $0.duration, isRolling: true) }, prior: try instant("prior"))
        }
        guard let horizon else {
            throw APIError.invalidHorizon("API \(version.number) needs a \"horizon\": how long before the end of the period (or R/<duration> before each event's end) the data was known; use a negative duration for data recorded afterwards")
        }
        return PostTiming(horizon: horizon, prior: nil)
    }

    /// The groups of a post with the series each states.
    func postedGroups() throws -> [(message: USEFMessage, series: Timeseries)] {
        try groups().map { group in (message: group, series: try group.series()) }
    }
}

extension MessageEndpoint {
    /// A post that stores, for every sensor each group names under `key`/`plural`, the group's series
    /// (postPriceData, postWeatherData). `resolve` finds a named sensor and the units its values may come in.
    func sensorDataRoute(
        _ version: APIVersion, _ services: APIServices, key: String, plural: String, noneNamed: APIError,
        resolve: @escaping @Sendable (String) throws -> (sensor: PostedSensor, units: Set<String>)
    ) -> APIRoute {
        APIRoute(.post, "\(version.prefix)/\(name)") { request, _ in
            try await handle(request, services: services) { user, message in
                var posts: [SeriesPost] = []
                for (group, series) in try message.postedGroups() {
                    guard let names = try group.strings(key, plural), !names.isEmpty else { throw noneNamed }
                    let timing = try group.postTiming(version: version)
                    let unit = group.fields["unit"]?.stringValue
                    let sensors = try names.map { name in
                        let (sensor, units) = try resolve(name)
                        guard let unit, units.contains(unit) else {
                            throw APIError.invalidUnit("Data for \(sensor.name) should be given in \(units.sorted().joined(separator: " or ")), not \(unit.map { "'\($0)'" } ?? "without a unit")")
                        }
                        return sensor
                    }
                    posts.append(SeriesPost(series: series, timing: timing, sensors: sensors))
                }
                try await services.site.postSensorData(posts, by: user)
                return processed()
            }
        }
    }
}
