import Beliefs
import BeliefStore
import Hummingbird
import Registry
import Site

/// `getMeterData` and `getPrognosis`: the power of assets over a window, one belief per event.
enum PowerDataGet {
    typealias Kind = PowerPost.Kind

    static func routes(_ version: APIVersion, _ kind: Kind, _ services: APIServices) -> [APIRoute] {
        let endpoint = MessageEndpoint(name: kind == .meterData ? "getMeterData" : "getPrognosis", roles: ServiceAccess.dataRoles)
        let handler: APIRoute.Handler = { request, _ in
            try await endpoint.handle(request, services: services) { user, message in
                // Reading and aligning a long window blocks: off the cooperative threads that serve requests.
                try await runBlocking {
                    try answer(message, for: user, version: version, kind: kind, endpoint: endpoint, services: services)
                }
            }
        }
        var routes = [APIRoute(.get, "\(version.prefix)/\(endpoint.name)", handler)]
        if version == .v1 && kind == .meterData {
            routes.append(APIRoute(.post, "\(version.prefix)/\(endpoint.name)", handler))
        }
        return routes
    }

    static func answer(
        _ message: USEFMessage, for user: User, version: APIVersion, kind: Kind, endpoint: MessageEndpoint, services: APIServices
    ) throws -> Response {
        if let unit = message.fields["unit"], unit.stringValue != "MW" {
            throw APIError.invalidUnit("Data should be requested in MW, not \(JSONWriter.string(unit))")
        }
        // Before v2.0 the reference requires the unit on GETs too.
        if message.fields["unit"] == nil && !version.isAtLeast(.v2_0) {
            throw APIError.invalidUnit("Data should be requested in MW: add \"unit\": \"MW\" (API \(version.number) requires it)")
        }
        guard let start = try message.instant("start") else {
            throw APIError.invalidRequest("the message has no \"start\" (an ISO 8601 datetime with an offset)")
        }
        guard let duration = try message.duration("duration"), duration > .zero else {
            throw APIError.invalidRequest("the message needs a positive \"duration\" (an ISO 8601 duration such as PT1H)")
        }
        let resolution = try message.resolution()
        let dataSources = try services.registry.dataSources()
        let filter = BeliefFilter(
            horizon: try message.horizon()?.duration, prior: try message.instant("prior"),
            sources: try Sources(services: services, user: user, all: dataSources).selection(message, kind: kind)
        )
        let rank = sourceRank(kind, sources: dataSources)
        let connections = Connections(services: services, user: user)

        var answered: [(connection: String, values: JSONValue, resolution: Timespan)] = []
        var slotsCovered: Int64 = 0
        for group in try message.groups() {
            for connection in try Connections.named(in: group) {
                let asset = try connections.asset(connection)
                if let resolution, !resolution.isWholeMultiple(of: asset.fields.eventResolution) {
                    throw APIError.invalidResolution("Only resolutions that are whole multiples of the asset's \(asset.fields.eventResolution.iso8601) are supported, not \(resolution.iso8601)")
                }
                slotsCovered = try services.site.settings.checkWindow(
                    from: start, to: start + duration, resolution: asset.fields.eventResolution,
                    what: "the window of \"start\" and \"duration\" for asset \(asset.id)", earlier: slotsCovered
                )
                let series = try services.store.timeseries(
                    sensorID: asset.id, from: start, to: start + duration, filter: filter, sourceRank: rank, resolution: resolution
                )
                let values: JSONValue = series.values.allSatisfy { $0 == nil }
                    ? .array([])
                    : .array(series.values.map { $0.map(JSONValue.number) ?? .null })
                answered.append((connection, values, series.resolution))
            }
        }

        var body: [String: JSONValue] = [
            "type": .string(endpoint.responseType), "start": .string(start.iso8601), "duration": .string(duration.iso8601),
            "unit": .string("MW"), "status": .string("PROCESSED"), "message": .string("Request has been processed."),
        ]
        if let first = answered.first { body["resolution"] = .string(first.resolution.iso8601) }
        if answered.count == 1 {
            body["connection"] = .string(answered[0].connection)
            body["values"] = answered[0].values
        } else {
            // Connections with identical values share one group, as the reference allows.
            var groups: [(connections: [String], values: JSONValue)] = []
            for item in answered {
                if let index = groups.firstIndex(where: { $0.values == item.values }) {
                    groups[index].connections.append(item.connection)
                } else {
                    groups.append(([item.connection], item.values))
                }
            }
            body["groups"] = .array(groups.map { group in
                .object([
                    group.connections.count == 1 ? "connection" : "connections":
                        group.connections.count == 1 ? .string(group.connections[0]) : .array(group.connections.map(JSONValue.string)),
                    "values": group.values,
                ])
            })
        }
        return JSONBody.response(.object(body))
    }

    /// getPrognosis prefers a user's prognosis, then a schedule, then a forecast, then other scripts.
    static func sourceRank(_ kind: Kind, sources: [BeliefSource]) -> (SourceID) -> Int {
        guard kind == .prognosis else { return { _ in 0 } }
        let types = Dictionary(uniqueKeysWithValues: sources.map { ($0.id, $0.type) })
        return { id in
            switch types[id] {
            case .user: 0
            case .scheduler: 1
            case .forecaster: 2
            default: 3
            }
        }
    }
}

/// The `source(s)` of a GET: roles and user ids, always with the requester's own data.
struct Sources {
    let services: APIServices
    let user: User
    /// Every data source, read once per request.
    let all: [BeliefSource]

    func selection(_ message: USEFMessage, kind: PowerDataGet.Kind) throws -> Set<SourceID>? {
        let sourcesByUser = Dictionary(
            all.compactMap { source in source.userID.map { ($0, source.id) } }, uniquingKeysWith: { first, _ in first }
        )
        // A user without a source has sent no data: nothing of theirs to add.
        let own = sourcesByUser[user.id].map { [$0] } ?? []
        guard let requested = message.value("source", "sources") else {
            if kind == .prognosis { return nil }
            // Meter data: the requester's own plus that of meter data companies.
            return Set(own + (try services.registry.userIDs(withRole: .mdc)).compactMap { sourcesByUser[$0] })
        }
        let items = requested.arrayValue ?? [requested]
        var userIDs: [Int64] = []
        for item in items {
            if let number = item.int64Value {
                userIDs.append(number)
            } else if let text = item.stringValue {
                if let id = Int64(text) {
                    userIDs.append(id)
                } else if let role = Role(named: text) {
                    userIDs += try services.registry.userIDs(withRole: role)
                } else {
                    throw APIError.invalidSource("The data source is not found: '\(text)' is neither a user id nor a role")
                }
            } else {
                throw APIError.invalidSource("sources must be user ids or role names, not \(item.kindName)")
            }
        }
        let matched = userIDs.compactMap { sourcesByUser[$0] }
        guard !matched.isEmpty else {
            throw APIError.invalidSource("The data source is not found: no user matches \(JSONWriter.string(requested))")
        }
        return Set(matched + own)
    }
}
