import Beliefs
import Hummingbird
import Registry
import Site

/// `GET /api/v2_0/charts/power`: an asset's measured power, forecasts and schedules over a window, as a
/// Vega-Lite v5 specification with its data inline (render it with vega-embed or any Vega-Lite tool).
enum PowerChartRoute {
    static func route(_ services: APIServices) -> APIRoute {
        APIRoute(.get, "\(APIVersion.v2_0.prefix)/charts/power") { request, _ in
            let user = try services.authenticate(request)
            try services.require(user, anyOf: ServiceAccess.dataRoles, for: "charts/power")
            let query = JSONBody.queryMessage(request.uri)
            let message = USEFMessage(query)
            guard let resource = query["resource"] else {
                throw APIError.unprocessable("name the asset", fields: ["resource": ["Missing data for required field: an asset name or id."]])
            }
            let asset = try findAsset(resource, for: user, services: services)
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
            let resolution = try message.resolution()
            let consumptionPositive = query["consumption_as_positive"] != .string("false") && query["consumption_as_positive"] != .bool(false)
            let chart = try await services.site.powerChart(
                of: asset, from: start, to: end, resolution: resolution, consumptionPositive: consumptionPositive
            )
            return JSONBody.response(spec(of: chart, platformName: services.settings.platformName))
        }
    }

    /// The asset `resource` names by id or by name, as the site lets the user see it.
    static func findAsset(_ resource: JSONValue, for user: User, services: APIServices) throws -> Asset {
        if let number = resource.int64Value { return try services.site.asset(number, for: user, to: .view) }
        if let name = resource.stringValue { return try services.site.asset(named: name, for: user, to: .view) }
        throw APIError.notFound("Asset \(JSONWriter.string(resource)) not found")
    }

    /// The chart as a Vega-Lite specification: one line per kind of belief, the forecasts' accuracy in `usermeta`.
    static func spec(of chart: PowerChart, platformName: String) -> JSONValue {
        let asset = chart.asset
        let consumptionPositive = chart.consumptionPositive
        let rows: [JSONValue] = chart.points.map { point in
            .object(["time": .string(point.time.iso8601), "power": .number(point.power), "kind": .string(point.line.rawValue)])
        }
        // How good the stored forecasts were over the window, per horizon: Vega-Lite keeps `usermeta` as is.
        let accuracy: [JSONValue] = chart.forecastAccuracy.map { score in
            .object([
                "horizon": .string(score.horizon.iso8601), "forecasts": .number(Double(score.forecasts)),
                "mae": .number(score.mae), "wape": .number(score.wape), "accuracy": .number(score.accuracy),
            ])
        }
        return .object([
            "$schema": .string("https://vega.github.io/schema/vega-lite/v5.json"),
            "usermeta": .object(["forecast_accuracy": .array(accuracy)]),
            "description": .string("Power of \(asset.fields.displayName) (MW, \(consumptionPositive ? "consumption" : "production") positive)"),
            "title": .string("\(platformName): \(asset.fields.displayName)"),
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
