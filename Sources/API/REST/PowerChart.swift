import Beliefs
import Hummingbird
import Registry
import Site

/// `GET /api/v2_0/charts/power`: an asset's measured power, forecasts and schedules over a window, as a
/// Vega-Lite v5 specification with its data inline (render it with vega-embed or any Vega-Lite tool).
enum PowerChart {
    static func route(_ services: APIServices) -> APIRoute {
        APIRoute(.get, "\(APIVersion.v2_0.prefix)/charts/power") { request, _ in
            let user = try services.authenticate(request)
            try services.require(user, anyOf: ServiceAccess.dataRoles, for: "charts/power")
            let query = JSONBody.queryMessage(request.uri)
            let message = USEFMessage(query)
            guard let resource = query["resource"] else {
                throw APIError.unprocessable("name the asset", fields: ["resource": ["Missing data for required field: an asset name or id."]])
            }
            let asset = try findAsset(resource, services: services)
            guard user.isAdmin || asset.fields.ownerID == user.id else {
                throw APIError.invalidSender("You cannot be authorized for this content or functionality: asset \(asset.id) is not yours.")
            }
            let start: Instant
            let end: Instant
            do {
                guard let from = try message.instant("start_time"), let to = try message.instant("end_time"), from < to else {
                    throw APIError.unprocessable("give the window", fields: ["start_time": ["start_time and end_time are required ISO 8601 datetimes with offsets, start before end."]])
                }
                start = from
                end = to
            } catch let error as APIError where error.fieldErrors == nil {
                throw APIError.unprocessable(error.message, fields: ["start_time": [error.message]])
            }
            do {
                try services.site.settings.checkWindow(
                    from: start, to: end, resolution: asset.fields.eventResolution, what: "the window from start_time to end_time"
                )
            } catch let error as BoundsError {
                throw APIError.unprocessable(error.description, fields: ["end_time": [error.description]])
            }
            let resolution = try message.resolution() ?? asset.fields.eventResolution
            guard resolution.isWholeMultiple(of: asset.fields.eventResolution) else {
                throw APIError.unprocessable("bad resolution", fields: ["resolution": ["Must be a whole multiple of the asset's \(asset.fields.eventResolution.iso8601)."]])
            }
            let consumptionPositive = query["consumption_as_positive"] != .string("false") && query["consumption_as_positive"] != .bool(false)
            let spec: JSONValue = try await runBlocking {
                try chart(asset, from: start, to: end, resolution: resolution, consumptionPositive: consumptionPositive, services: services)
            }
            return JSONBody.response(spec)
        }
    }

    static func findAsset(_ resource: JSONValue, services: APIServices) throws -> Asset {
        if let number = resource.int64Value, let asset = try services.registry.asset(id: number) { return asset }
        if let name = resource.stringValue, let asset = try services.registry.asset(named: name) { return asset }
        throw APIError.notFound("Asset \(JSONWriter.string(resource)) not found")
    }

    /// The chart: one line per kind of belief (measurements, forecasts, schedules), most recent per event.
    static func chart(
        _ asset: Asset, from start: Instant, to end: Instant, resolution: Timespan, consumptionPositive: Bool, services: APIServices
    ) throws -> JSONValue {
        let sources = try services.registry.dataSources()
        let sourceTypes = Dictionary(uniqueKeysWithValues: sources.map { ($0.id, $0.type) })
        let beliefs = try services.store.beliefs(sensorID: asset.id, from: start, to: end)
        let eventResolution = asset.fields.eventResolution
        let kinds: [(name: String, admits: (Belief) -> Bool)] = [
            ("measurements", { $0.horizon(eventResolution: eventResolution) <= .zero }),
            ("forecasts", { $0.horizon(eventResolution: eventResolution) > .zero && sourceTypes[$0.sourceID] != .scheduler }),
            ("schedules", { sourceTypes[$0.sourceID] == .scheduler }),
        ]
        var rows: [JSONValue] = []
        for kind in kinds {
            let selected = BeliefSelection.mostRecent(beliefs.filter(kind.admits), eventResolution: eventResolution, filter: .all)
            guard !selected.isEmpty else { continue }
            var series = Timeseries.aligning(selected, start: start, end: end, resolution: eventResolution)
            if resolution != eventResolution { series = try series.downsampled(to: resolution) }
            for event in series.events {
                guard let value = event.value else { continue }
                rows.append(.object([
                    "time": .string(event.start.iso8601), "power": .number(consumptionPositive ? value : -value),
                    "kind": .string(kind.name),
                ]))
            }
        }
        // How good the stored forecasts were over the window, per horizon: Vega-Lite keeps `usermeta` as is.
        let scores = ForecastAccuracy.scores(beliefs: beliefs, eventResolution: eventResolution, sources: sources)
        let accuracy: [JSONValue] = scores.map { score in
            .object([
                "horizon": .string(score.horizon.iso8601), "forecasts": .number(Double(score.forecasts)),
                "mae": .number(score.mae), "wape": .number(score.wape), "accuracy": .number(score.accuracy),
            ])
        }
        return .object([
            "$schema": .string("https://vega.github.io/schema/vega-lite/v5.json"),
            "usermeta": .object(["forecast_accuracy": .array(accuracy)]),
            "description": .string("Power of \(asset.fields.displayName) (MW, \(consumptionPositive ? "consumption" : "production") positive)"),
            "title": .string("\(services.settings.platformName): \(asset.fields.displayName)"),
            "width": .string("container"),
            "data": .object(["values": .array(rows)]),
            "mark": .object(["type": .string("line"), "interpolate": .string("step-after"), "tooltip": .bool(true)]),
            "encoding": .object([
                "x": .object(["field": .string("time"), "type": .string("temporal"), "title": .string("Time")]),
                "y": .object(["field": .string("power"), "type": .string("quantitative"), "title": .string("Power (MW)")]),
                "color": .object(["field": .string("kind"), "type": .string("nominal"), "title": .string("Kind")]),
            ]),
        ])
    }
}
