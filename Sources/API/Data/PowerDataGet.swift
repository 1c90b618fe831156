import Beliefs
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
        let horizon = try message.horizon()?.duration
        let prior = try message.instant("prior")
        let sources = try message.readingSources()
        let connections = Connections(services: services, user: user)
        var named: [(connection: String, asset: Asset)] = []
        for group in try message.groups() {
            for connection in try Connections.named(in: group) {
                named.append((connection, try connections.asset(connection)))
            }
        }
        let reading = PowerReading(
            start: start, end: start + duration, resolution: resolution, horizon: horizon, prior: prior, sources: sources
        )
        let series = try services.site.powerData(of: named.map(\.asset), reading, kind: kind, for: user)
        let answered: [(connection: String, values: JSONValue, resolution: Timespan)] = zip(named, series).map { named, series in
            let values: JSONValue = series.values.allSatisfy { $0 == nil }
                ? .array([])
                : .array(series.values.map { $0.map(JSONValue.number) ?? .null })
            return (named.connection, values, series.resolution)
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
}

extension USEFMessage {
    /// The `source(s)` of a GET: user ids and role names.
    func readingSources() throws -> PowerReading.Sources {
        guard let requested = value("source", "sources") else { return .byDefault }
        let names = try (requested.arrayValue ?? [requested]).map { item -> PowerReading.SourceName in
            if let number = item.int64Value { return .user(number) }
            guard let text = item.stringValue else {
                throw APIError.invalidSource("sources must be user ids or role names, not \(item.kindName)")
            }
            if let id = Int64(text) { return .user(id) }
            guard let role = Role(named: text) else {
                throw APIError.invalidSource("The data source is not found: '\(text)' is neither a user id nor a role")
            }
            return .role(role)
        }
        return .named(names, asWritten: JSONWriter.string(requested))
    }
}
