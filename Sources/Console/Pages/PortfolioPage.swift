import Beliefs
import Hummingbird
import Registry
import Site

/// `GET /portfolio`: energy produced and consumed, revenues and costs per asset and asset type over a
/// window of days (reference 10.1.1), with the stacked chart of energy per type and day.
enum PortfolioPage {
    static func add(to router: Router<ConsoleContext>, services: ConsoleServices, pages: PageRenderer) {
        router.get("/portfolio") { request, context in
            let session = try context.requireSession(request)
            let query = request.uri.queryParameters
            let window = window(query, services)
            let statement = try await statement(for: session.user, window, services)
            func row(_ line: PortfolioStatement.Line) -> [String: Any] {
                var row: [String: Any] = [
                    "name": line.name, "type": line.assetTypeName ?? "",
                    "production": Formatting.number(line.productionMWh), "consumption": Formatting.number(line.consumptionMWh),
                    "revenues": Formatting.number(line.revenues, digits: 2), "costs": Formatting.number(line.costs, digits: 2),
                    "profit": Formatting.number(line.profit, digits: 2), "missing": line.slotsWithoutPrice,
                ]
                if let id = line.assetID { row["id"] = id }
                return row
            }
            var values: [String: Any] = [
                "startDate": window.startDate, "endDate": window.endDate, "start": window.startDate, "end": window.endDate,
                "startISO": Formatting.iso(window.start), "endISO": Formatting.iso(window.end),
                "hasAssets": !statement.assets.isEmpty,
                "assets": statement.assets.map(row), "types": statement.assetTypes.map(row), "total": row(statement.total),
                "measuredSlots": statement.total.measuredSlots,
            ]
            for (field, problem) in ChartWindow.problems(in: query) { values[field + "Error"] = problem }
            if statement.total.slotsWithoutPrice > 0 { values["missingPrices"] = statement.total.slotsWithoutPrice }
            if !statement.currencies.isEmpty { values["currency"] = statement.currencies.joined(separator: ", ") }
            return pages.page("portfolio", title: "Portfolio", section: .portfolio, session: session, values: values, charts: !statement.assets.isEmpty)
        }
        router.get("/portfolio/chart/spec") { request, context in
            _ = try context.requireSession(request)
            return ChartRoutes.json(ChartSpecs.portfolio())
        }
        router.get("/portfolio/chart/data") { request, context in
            let session = try context.requireSession(request)
            let statement = try await statement(for: session.user, window(request.uri.queryParameters, services), services)
            let records: [JSONValue] = statement.daily.flatMap { entry -> [JSONValue] in
                let day = JSONValue.string(String(entry.day.iso8601.prefix(10)))
                return [
                    .object(["day": day, "type": .string(entry.assetTypeName), "flow": .string("consumption"), "energy": .number(entry.consumptionMWh)]),
                    .object(["day": day, "type": .string(entry.assetTypeName), "flow": .string("production"), "energy": .number(-entry.productionMWh)]),
                ]
            }
            return ChartRoutes.json(.array(records))
        }
    }

    /// The days asked for: the last seven (today included) unless the query says otherwise.
    static func window(_ query: Parameters, _ services: ConsoleServices) -> ChartWindow {
        ChartWindow(query: query, eventResolution: .minutes(15), now: services.clock(), defaultEnd: 1, defaultDays: 7)
    }

    static func statement(for user: User, _ window: ChartWindow, _ services: ConsoleServices) async throws -> PortfolioStatement {
        do {
            return try await services.site.portfolio(for: user, from: window.start, to: window.end)
        } catch let error as ChartError {
            throw ConsoleError.unprocessable(error.description)
        }
    }
}
