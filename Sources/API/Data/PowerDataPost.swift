import Beliefs
import Hummingbird
import Registry
import Site

/// `postMeterData` and `postPrognosis`: power values of assets, in MW, consumption positive.
enum PowerDataPost {
    typealias Kind = PowerDataKind

    static func route(_ version: APIVersion, _ kind: Kind, _ services: APIServices) -> APIRoute {
        let endpoint = MessageEndpoint(name: kind == .meterData ? "postMeterData" : "postPrognosis", roles: ServiceAccess.dataRoles)
        return APIRoute(.post, "\(version.prefix)/\(endpoint.name)") { request, _ in
            try await endpoint.handle(request, services: services) { user, message in
                let beliefs = try beliefs(of: message, from: user, version: version, kind: kind, services: services)
                guard kind == .meterData, services.site.settings.forecastAfterMeterData else {
                    try await services.store(beliefs, from: user)
                    return endpoint.processed()
                }
                // New measurements: queue forecasts of what comes next, in the same transaction.
                let sensors = Set(beliefs.map(\.sensorID))
                let ttl = services.site.settings.planningTTL
                try await services.store(beliefs, from: user) { db in
                    for sensor in sensors.sorted() {
                        for horizon in ForecastingJob.referenceHorizons {
                            try services.jobs.enqueueUnlessQueued(
                                queue: .forecasting, kind: ForecastingJob.kind,
                                payload: try ForecastingJob.latestPayload(sensorID: sensor, horizon: horizon), timeToLive: ttl, in: db
                            )
                        }
                    }
                }
                return endpoint.processed()
            }
        }
    }

    /// Every belief the message states, validated; nothing is stored when anything is wrong.
    static func beliefs(
        of message: USEFMessage, from user: User, version: APIVersion, kind: Kind, services: APIServices
    ) throws -> [Belief] {
        let connections = Connections(services: services, user: user)
        let assetTypes = Dictionary(uniqueKeysWithValues: try services.registry.assetTypes().map { ($0.name, $0) })
        let arrival = services.clock()
        var beliefs: [Belief] = []
        var resolutions: Set<Timespan> = []
        let posted = try message.postedGroups(settings: services.site.settings)
        var budget = posted.budget
        for (group, series) in posted.groups {
            let unit = group.fields["unit"]?.stringValue
            guard unit == "MW" else {
                throw APIError.invalidUnit("Data should be given in MW, not \(unit.map { APIError.quoted($0) } ?? "without a unit")")
            }
            let timing = try PostTiming(group, version: version, arrival: arrival)
            for connection in try Connections.named(in: group) {
                let asset = try connections.asset(connection)
                resolutions.insert(asset.fields.eventResolution)
                guard resolutions.count == 1 else {
                    throw APIError.invalidResolution("Requested assets do not have matching resolutions: one message covers one resolution; post assets with other resolutions in another message")
                }
                let fitted = try fitting(series, to: asset.fields.eventResolution, name: "asset \(asset.id)", budget: &budget)
                let type = assetTypes[asset.fields.assetTypeName]
                for belief in timing.beliefs(of: fitted, sensorID: asset.id) {
                    if type?.isPureProducer == true && belief.value > 0 {
                        throw APIError.powerValueTooBig("One or more power values are too big. Connection \(connection) is registered as a pure producer and can only receive non-positive values (production is negative).")
                    }
                    if type?.isPureConsumer == true && belief.value < 0 {
                        throw APIError.powerValueTooSmall("One or more power values are too small. Connection \(connection) is registered as a pure consumer and can only receive non-negative values (consumption is positive).")
                    }
                    if kind == .meterData && belief.horizon(eventResolution: fitted.resolution) > .zero {
                        throw APIError.invalidHorizon("Meter data is about the past: the value for \(belief.eventStart.iso8601) would be known at \(belief.beliefTime.iso8601), before its interval ended. Use a horizon of zero or less (e.g. -PT5M), or a prior at or after the end of the period; forecasts go to postPrognosis.")
                    }
                    beliefs.append(belief)
                }
            }
        }
        return beliefs
    }
}
