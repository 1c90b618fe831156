import Beliefs
import BeliefStore
import GRDB
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
        } catch var error as APIError {
            error.responseType = responseType
            throw error
        } catch let error as BoundsError {
            var refusal = APIError(error)
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

extension APIServices {
    /// Stores a user's message's beliefs through the site, in one transaction shared with concurrent
    /// requests, with `also` (e.g. queueing forecasts) in the same transaction.
    func store(_ beliefs: [Belief], from user: User, then also: (@Sendable (Database) throws -> Void)? = nil) async throws {
        do {
            try await site.ingest(beliefs, from: .user(id: user.id, name: user.username), also: also)
        } catch let error as IngestError {
            throw APIError(error)
        }
    }
}

extension APIError {
    /// A window or a post larger than one request may be.
    init(_ error: BoundsError) {
        self = .invalidPeriod(error.description)
    }

    /// The site's refusal of a batch of beliefs as the API says it.
    init(_ error: IngestError) {
        switch error.reason {
        case .alreadyStored:
            self = .alreadyReceived("Some of the data has already been received and successfully processed: \(error.description). Nothing of this message was stored.")
        case .offGrid:
            self = APIError.invalidPeriod("\(error.description); start on the asset's resolution grid")
        case .unknownSensor, .unknownSource:
            self = .unrecognizedAsset(error.description)
        case .invalid:
            self = .invalidRequest(error.description)
        }
    }
}

/// Belief times for posted data, by the rules of each version (API-NOTES, "Beliefs: horizon and prior").
struct PostTiming {
    let horizon: Horizon?
    let prior: Instant?
    let arrival: Instant

    init(_ message: USEFMessage, version: APIVersion, arrival: Instant) throws {
        self.arrival = arrival
        let horizon = try message.horizon()
        if version.hasRollingHorizons {
            if let horizon, horizon.isRolling {
                throw APIError.invalidHorizon("from API v2.0 on a horizon is rolling by itself: write \(horizon.duration.iso8601) instead of R/\(horizon.duration.iso8601)")
            }
            self.horizon = horizon.map { Horizon(duration: $0.duration, isRolling: true) }
            prior = try message.instant("prior")
        } else {
            guard let horizon else {
                throw APIError.invalidHorizon("API \(version.number) needs a \"horizon\": how long before the end of the period (or R/<duration> before each event's end) the data was known; use a negative duration for data recorded afterwards")
            }
            self.horizon = horizon
            prior = nil
        }
    }

    func beliefTime(eventStart: Instant, resolution: Timespan, periodEnd: Instant) -> Instant {
        BeliefTiming.beliefTime(
            eventStart: eventStart, eventResolution: resolution, periodEnd: periodEnd, horizon: horizon, prior: prior,
            arrival: arrival
        )
    }

    /// The beliefs a posted series states about a sensor, one per value (missing values state nothing);
    /// their source is the poster's, set when they are stored.
    func beliefs(of series: Timeseries, sensorID: SensorID) -> [Belief] {
        series.values.enumerated().compactMap { index, value in
            guard let value else { return nil }
            let eventStart = series.start + series.resolution * Int64(index)
            return Belief(
                sensorID: sensorID, eventStart: eventStart,
                beliefTime: beliefTime(eventStart: eventStart, resolution: series.resolution, periodEnd: series.end),
                sourceID: 0, value: value
            )
        }
    }
}

/// A posted series at the resolution of the sensor it goes to: coarser data is repeated, finer or
/// misaligned data refused. The beliefs it will make are counted against `budget` before any is made.
func fitting(_ series: Timeseries, to resolution: Timespan, name: String, budget: inout PostBudget) throws -> Timeseries {
    guard series.resolution != resolution else {
        try budget.add(series.values.count, repeated: 1, for: name)
        return series
    }
    guard series.resolution > resolution, series.resolution.isWholeMultiple(of: resolution) else {
        throw APIError.invalidResolution("the data's resolution \(series.resolution.iso8601) is not a whole multiple of the \(resolution.iso8601) resolution of \(name); send data at \(resolution.iso8601) or a multiple of it")
    }
    try budget.add(series.values.count, repeated: series.resolution.microseconds / resolution.microseconds, for: name)
    do {
        return try series.upsampled(to: resolution)
    } catch {
        throw APIError.invalidResolution(error.description)
    }
}

extension USEFMessage {
    /// The groups of a post with the series each states, and a budget for the beliefs they may make.
    func postedGroups(settings: Site.Settings) throws -> (groups: [(message: USEFMessage, series: Timeseries)], budget: PostBudget) {
        let groups = try groups().map { group in (message: group, series: try group.series()) }
        let sent = groups.reduce(0) { $0 + $1.series.values.count }
        return (groups, PostBudget(valuesSent: sent, settings: settings))
    }
}

/// A sensor that a price or weather post names, with the units its values may come in.
struct PostedSensor {
    let id: SensorID
    let resolution: Timespan
    /// What the unit is for, in messages: "market epex_da", "temperature".
    let quantity: String
    let units: Set<String>
}

extension MessageEndpoint {
    /// A post that stores, for every sensor each group names under `key`/`plural`, the group's series
    /// at the sensor's resolution (postPriceData, postWeatherData).
    func sensorDataRoute(
        _ version: APIVersion, _ services: APIServices, key: String, plural: String, noneNamed: APIError,
        resolve: @escaping @Sendable (String) throws -> PostedSensor
    ) -> APIRoute {
        APIRoute(.post, "\(version.prefix)/\(name)") { request, _ in
            try await handle(request, services: services) { user, message in
                let arrival = services.clock()
                var beliefs: [Belief] = []
                let posted = try message.postedGroups(settings: services.site.settings)
                var budget = posted.budget
                for (group, series) in posted.groups {
                    guard let names = try group.strings(key, plural), !names.isEmpty else { throw noneNamed }
                    let timing = try PostTiming(group, version: version, arrival: arrival)
                    let unit = group.fields["unit"]?.stringValue
                    for name in names {
                        let sensor = try resolve(name)
                        guard let unit, sensor.units.contains(unit) else {
                            throw APIError.invalidUnit("Data for \(sensor.quantity) should be given in \(sensor.units.sorted().joined(separator: " or ")), not \(unit.map { "'\($0)'" } ?? "without a unit")")
                        }
                        let fitted = try fitting(series, to: sensor.resolution, name: sensor.quantity, budget: &budget)
                        beliefs += timing.beliefs(of: fitted, sensorID: sensor.id)
                    }
                }
                try await services.store(beliefs, from: user)
                return processed()
            }
        }
    }
}
