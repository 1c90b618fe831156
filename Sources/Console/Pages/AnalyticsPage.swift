import Beliefs
import Foundation
import Hummingbird
import NIOCore
import Registry
import Site

/// `GET /analytics`: one asset or an asset type over a window and resolution, measurements beside the
/// forecasts made at a chosen horizon, prices and weather, forecast accuracy per horizon (reference 12);
/// `format=csv` downloads the slots shown.
enum AnalyticsPage {
    /// What the query asks for, checked: the assets, window, horizon and weather type, and what was wrong
    /// with it per field (the page then shows the defaults it used instead).
    struct Choice {
        let selection: String
        let assets: [Asset]
        let window: ChartWindow
        let horizon: Timespan
        let weatherType: String
        var problems: [String: String]

        /// The query that asks for this choice again (chart data, CSV).
        var query: String {
            var components = URLComponents()
            components.queryItems = [
                URLQueryItem(name: "assets", value: selection), URLQueryItem(name: "start", value: window.startDate),
                URLQueryItem(name: "end", value: window.endDate), URLQueryItem(name: "resolution", value: String(window.resolutionMinutes)),
                URLQueryItem(name: "horizon", value: String(horizon.microseconds / 3_600_000_000)), URLQueryItem(name: "weather", value: weatherType),
            ]
            return components.percentEncodedQuery ?? ""
        }
    }

    static func add(to router: Router<ConsoleContext>, services: ConsoleServices, pages: PageRenderer) {
        router.get("/analytics") { request, context in
            let session = try context.requireSession(request)
            let visible = try services.site.assets(for: session.user)
            guard let choice = try choice(request.uri.queryParameters, visible: visible, user: session.user, services) else {
                return pages.page("analytics", title: "Analytics", section: .analytics, session: session, values: ["hasAssets": false])
            }
            var values = formValues(choice, visible: visible, services: services)
            var status: HTTPResponse.Status = .ok
            do {
                let report = try await services.site.analytics(
                    of: choice.assets, from: choice.window.start, to: choice.window.end, resolution: choice.window.resolution,
                    horizon: choice.horizon, weatherType: choice.weatherType
                )
                if request.uri.queryParameters["format"] == "csv" { return csv(report, choice) }
                values["report"] = reportValues(report, choice)
            } catch let error as ChartError {
                values[error.reason == .resolution ? "resolutionError" : "startError"] = error.description
                status = .unprocessableContent
            }
            for (field, problem) in choice.problems { values[field + "Error"] = problem }
            return pages.page("analytics", title: "Analytics", section: .analytics, session: session, values: values,
                              charts: values["report"] != nil, status: status)
        }
        router.get("/analytics/chart/spec") { request, context in
            _ = try context.requireSession(request)
            return ChartRoutes.json(ChartSpecs.analytics())
        }
        router.get("/analytics/chart/data") { request, context in
            let session = try context.requireSession(request)
            let visible = try services.site.assets(for: session.user)
            guard let choice = try choice(request.uri.queryParameters, visible: visible, user: session.user, services) else {
                return ChartRoutes.json(.array([]))
            }
            let report: AssetAnalytics
            do {
                report = try await services.site.analytics(
                    of: choice.assets, from: choice.window.start, to: choice.window.end, resolution: choice.window.resolution,
                    horizon: choice.horizon, weatherType: choice.weatherType
                )
            } catch let error as ChartError {
                throw ConsoleError.unprocessable(error.description)
            }
            var records: [JSONValue] = []
            func add(_ value: Double?, _ row: AssetAnalytics.Row, series: String, panel: String) {
                guard let value, value.isFinite else { return }
                records.append(.object([
                    "time": .number(Double(row.start.microsecondsSinceEpoch / 1000)), "value": .number(value),
                    "series": .string(series), "panel": .string(panel),
                ]))
            }
            for row in report.rows {
                add(row.measuredMW, row, series: "measurements", panel: "power")
                add(row.forecastMW, row, series: "forecasts", panel: "power")
                add(row.price, row, series: "price", panel: "price")
                add(row.weather, row, series: report.weatherSensor?.weatherSensorTypeName ?? "weather", panel: "weather")
            }
            return ChartRoutes.json(.array(records))
        }
    }

    /// Reads the query: `assets` is an asset id or `type:<asset type>`, the first visible asset when absent;
    /// nil when the user sees no assets.
    static func choice(_ query: Parameters, visible: [Asset], user: User, _ services: ConsoleServices) throws -> Choice? {
        guard let first = visible.first else { return nil }
        var problems: [String: String] = [:]
        var selection = String(first.id)
        var assets = [first]
        if let asked = query["assets"].map({ String($0.prefix(200)) }), !asked.isEmpty {
            if asked.hasPrefix("type:") {
                let type = String(asked.dropFirst(5))
                let ofType = visible.filter { $0.fields.assetTypeName == type }
                if ofType.isEmpty {
                    problems["assets"] = "You have no assets of that type."
                } else {
                    (selection, assets) = (asked, ofType)
                }
            } else if let id = SensorID(asked), id > 0 {
                assets = [try services.site.asset(id, for: user, to: .view)]
                // "+6" and "006" name asset 6: the form's list selects it by its plain id.
                selection = String(id)
            } else {
                problems["assets"] = "Choose an asset or an asset type from the list."
            }
        }
        // The window's grid is the coarsest of the assets' resolutions; the Site checks that it divides.
        let eventResolution = assets.map(\.fields.eventResolution).max() ?? first.fields.eventResolution
        let window = ChartWindow(query: query, eventResolution: eventResolution, now: services.clock())
        problems.merge(ChartWindow.problems(in: query)) { first, _ in first }
        if let asked = query["resolution"], !asked.isEmpty, Int64(asked) != window.resolutionMinutes {
            problems["resolution"] = "Choose a resolution from the list (a whole multiple of the assets' own)."
        }
        var horizon = Timespan.hours(6)
        if let asked = query["horizon"], !asked.isEmpty {
            if let hours = Int64(asked), let known = AssetAnalytics.horizons.first(where: { $0 == .hours(min(max(hours, 0), 1000)) }) {
                horizon = known
            } else {
                problems["horizon"] = "Choose a horizon of 1, 6, 24 or 48 hours."
            }
        }
        let types = Registry.standardWeatherSensorTypes.map(\.name)
        let askedWeather = query["weather"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        if let askedWeather, !types.contains(askedWeather) {
            problems["weather"] = "Choose a kind of weather from the list."
        }
        let weather = askedWeather.flatMap { types.contains($0) ? $0 : nil }
            ?? AssetAnalytics.weatherType(for: assets[0].fields.assetTypeName)
        return Choice(selection: selection, assets: assets, window: window, horizon: horizon, weatherType: weather, problems: problems)
    }

    static func formValues(_ choice: Choice, visible: [Asset], services: ConsoleServices) -> [String: Any] {
        let types = Set(visible.map(\.fields.assetTypeName)).sorted()
        return [
            "hasAssets": true,
            "assetChoices": visible.map { ["value": String($0.id), "label": $0.fields.displayName, "selected": String($0.id) == choice.selection] },
            "typeChoices": types.map { ["value": "type:" + $0, "label": $0, "selected": "type:" + $0 == choice.selection] },
            "start": choice.window.startDate, "end": choice.window.endDate, "resolutions": choice.window.resolutionChoices,
            "horizons": AssetAnalytics.horizons.map { ["value": $0.microseconds / 3_600_000_000, "label": Formatting.duration($0), "selected": $0 == choice.horizon] },
            "weatherChoices": Registry.standardWeatherSensorTypes.map { ["value": $0.name, "label": $0.displayName, "selected": $0.name == choice.weatherType] },
        ]
    }

    /// The most slots the page's table lists (a year of quarter hours would be megabytes of HTML); the
    /// chart and the CSV hold them all.
    static let maximumRows = 1000

    static func reportValues(_ report: AssetAnalytics, _ choice: Choice) -> [String: Any] {
        func text(_ value: Double?, digits: Int = 3) -> String { value.map { Formatting.number($0, digits: digits) } ?? "–" }
        var values: [String: Any] = [
            "heading": choice.selection.hasPrefix("type:") ? "All \(choice.selection.dropFirst(5)) assets" : report.assets.first?.fields.displayName ?? "",
            "assetNames": report.assets.map(\.fields.displayName).joined(separator: ", "),
            "measuredMWh": Formatting.number(report.measuredMWh), "forecastMWh": Formatting.number(report.forecastMWh),
            "horizonLabel": Formatting.duration(report.horizon), "query": choice.query,
            "accuracy": report.accuracy.map { score -> [String: Any] in
                [
                    "horizon": Formatting.duration(score.horizon), "forecasts": score.forecasts, "mae": text(score.mae.isFinite ? score.mae : nil),
                    "accuracy": score.accuracy.isFinite ? Formatting.number(score.accuracy * 100, digits: 1) + " %" : "–",
                ]
            },
            "listed": min(report.rows.count, maximumRows), "slotCount": report.rows.count, "truncated": report.rows.count > maximumRows,
            "rows": report.rows.prefix(maximumRows).map { row -> [String: Any] in
                [
                    "iso": Formatting.iso(row.start), "time": Formatting.readable(row.start), "measured": text(row.measuredMW),
                    "forecast": text(row.forecastMW), "price": text(row.price, digits: 2), "weather": text(row.weather, digits: 2),
                ]
            },
        ]
        if let market = report.market {
            values["market"] = market.displayName
            values["priceUnit"] = market.unit
        }
        if let sensor = report.weatherSensor {
            values["weatherSensor"] = sensor.displayName
            values["weatherUnit"] = sensor.unit
        }
        return values
    }

    static func csv(_ report: AssetAnalytics, _ choice: Choice) -> Response {
        var buffer = ByteBuffer()
        func label(_ text: String) -> String { text.replacingOccurrences(of: "/", with: "_per_").filter { $0.isLetter || $0.isNumber || $0 == "_" } }
        let price = report.market.map { "price_" + label($0.unit) } ?? "price"
        let weather = report.weatherSensor.map { "weather_" + label($0.weatherSensorTypeName) } ?? "weather"
        buffer.writeString("event_start,measured_mw,forecast_mw_\(choice.horizon.iso8601),\(price),\(weather)\n")
        func cell(_ value: Double?) -> String { value.flatMap { $0.isFinite ? "\($0)" : nil } ?? "" }
        for row in report.rows {
            buffer.writeString("\(row.start.iso8601),\(cell(row.measuredMW)),\(cell(row.forecastMW)),\(cell(row.price)),\(cell(row.weather))\n")
        }
        let name = "analytics-\(choice.selection.replacingOccurrences(of: "type:", with: ""))-\(choice.window.startDate)-\(choice.window.endDate).csv"
            .filter { $0.isLetter || $0.isNumber || "-_.".contains($0) }
        return Response(status: .ok, headers: [
            .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store", ChartRoutes.noSniff: "nosniff",
            .contentDisposition: "attachment; filename=\"\(name)\"",
        ], body: .init(byteBuffer: buffer))
    }
}
