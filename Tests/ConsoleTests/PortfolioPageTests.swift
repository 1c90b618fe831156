import Beliefs
import Foundation
import Registry
import Site
import Testing

/// `GET /portfolio`: energy and money per asset and type over a window, from measurements and prices.
@Suite struct PortfolioPageTests {
    /// Solar produces 2, 2, 1, 1 MW in the first hour (1.5 MWh at 40 EUR/MWh: 60 EUR earned); the battery
    /// consumes 1 MW through the second hour, which has no price (1 MWh, four slots without a price), and
    /// 2 MW in the first slot of the third (0.5 MWh at 50 EUR/MWh: 25 EUR).
    func handComputedSite() async throws -> InProcessConsole {
        let console = try InProcessConsole()
        let day = console.pastDay
        try await console.measure("solar", from: day, [-2, -2, -1, -1])
        // An earlier, superseded measurement of the first slot and a forecast: neither counts.
        try await console.measure("solar", from: day, [-7], statedAt: day + .hours(1))
        try await console.forecast("solar", from: day, horizon: .hours(1), [-100])
        try await console.measure("battery", from: day + .hours(1), [1, 1, 1, 1, 2])
        try await console.measure("theirs", from: day, [3, 3, 3, 3])
        try await console.prices(from: day, [40, nil, 50])
        return console
    }

    @Test func theStatementAddsUpMeasuredEnergyAtTheMarketsPrices() async throws {
        let console = try await handComputedSite()
        let prosumer = try await console.signedIn("prosumer")
        let date = console.pastDate
        let page = try await prosumer.get("/portfolio?start=\(date)&end=\(date)")
        #expect(page.status == 200)
        let html = page.text
        #expect(html.contains("id=\"total-production\">1.500<"), "\(html)")
        #expect(html.contains("id=\"total-consumption\">1.500<"))
        #expect(html.contains("id=\"total-revenues\">60.00<"))
        #expect(html.contains("id=\"total-costs\">25.00<"))
        #expect(html.contains("id=\"total-profit\">35.00<"))
        #expect(html.contains("4 of 9 measured slots had no price"))
        let solar = try console.id(ofAsset: "solar"), battery = try console.id(ofAsset: "battery")
        #expect(html.contains("<tr data-asset=\"\(solar)\"><th scope=\"row\"><a href=\"/assets/\(solar)\">solar</a></th><td>solar</td><td class=\"number\">1.500</td><td class=\"number\">0.000</td><td class=\"number\">60.00</td><td class=\"number\">0.00</td><td class=\"number\">60.00</td><td class=\"number\">0</td></tr>"))
        #expect(html.contains("<tr data-asset=\"\(battery)\"><th scope=\"row\"><a href=\"/assets/\(battery)\">battery</a></th><td>battery</td><td class=\"number\">0.000</td><td class=\"number\">1.500</td><td class=\"number\">0.00</td><td class=\"number\">25.00</td><td class=\"number\">-25.00</td><td class=\"number\">4</td></tr>"))
        #expect(!html.contains("theirs"))
        #expect(html.contains("data-data-url=\"/portfolio/chart/data?start=\(date)&amp;end=\(date)\""))
    }

    @Test func theSiteOperationGivesTheSameFigures() async throws {
        let console = try await handComputedSite()
        let user = try #require(try console.site.registry.user(email: "prosumer@example.com"))
        let statement = try await console.site.portfolio(for: user, from: console.pastDay, to: console.pastDay + .days(1))
        #expect(statement.total.productionMWh == 1.5 && statement.total.consumptionMWh == 1.5)
        #expect(statement.total.revenues == 60 && statement.total.costs == 25)
        #expect(statement.total.measuredSlots == 9 && statement.total.slotsWithoutPrice == 4)
        #expect(statement.assetTypes.map(\.name) == ["battery", "one-way_evse", "solar"])
        #expect(statement.currencies == ["EUR"])
        // The window is half-open: the next day has none of it.
        let next = try await console.site.portfolio(for: user, from: console.pastDay + .days(1), to: console.pastDay + .days(2))
        #expect(next.total.measuredSlots == 0)
    }

    @Test func theChartDataStackEnergyPerTypeAndDay() async throws {
        let console = try await handComputedSite()
        let prosumer = try await console.signedIn("prosumer")
        let date = console.pastDate
        let data = try #require(try await prosumer.get("/portfolio/chart/data?start=\(date)&end=\(date)").jsonList)
        let solar = data.first { $0["type"] as? String == "solar" && $0["flow"] as? String == "production" }
        #expect(solar?["energy"] as? Double == -1.5)
        #expect(solar?["day"] as? String == date)
        let battery = data.first { $0["type"] as? String == "battery" && $0["flow"] as? String == "consumption" }
        #expect(battery?["energy"] as? Double == 1.5)
        #expect(!data.contains { $0["type"] as? String == "one-way_evse" }, "no data, no bars")
        let spec = try await prosumer.get("/portfolio/chart/spec")
        #expect(spec.status == 200 && spec.text.contains("\"name\": \"values\""))
    }

    @Test func othersSeeOnlyTheirOwnAssetsAndStrangersAreSentToLogIn() async throws {
        let console = try await handComputedSite()
        let other = try await console.signedIn("other")
        let date = console.pastDate
        let page = try await other.get("/portfolio?start=\(date)&end=\(date)")
        #expect(page.status == 200)
        #expect(page.text.contains("id=\"total-consumption\">3.000<"))
        #expect(!page.text.contains(">solar<"))
        let stranger = console.visitor()
        #expect(try await stranger.get("/portfolio").status == 303)
        #expect(try await stranger.get("/portfolio/chart/data").status == 401)
    }

    @Test(arguments: ["start=yesterday", "start=2026-13-45", "end=99999-01-01", "start=2020-01-01&end=2026-01-01", "start=%00&end=%FF"])
    func hostileWindowsAreBoundedAndSaidSo(query: String) async throws {
        let console = try InProcessConsole()
        let prosumer = try await console.signedIn("prosumer")
        let page = try await prosumer.get("/portfolio?\(query)")
        #expect(page.status == 200)
        #expect(page.text.contains("class=\"field-error\""))
    }

    @Test func theDefaultWindowIsTheLastSevenDays() async throws {
        let console = try InProcessConsole()
        let prosumer = try await console.signedIn("prosumer")
        let page = try await prosumer.get("/portfolio")
        let today = String(console.now.iso8601.prefix(10))
        let weekAgo = String((console.now.floored(to: .days(1)) - .days(6)).iso8601.prefix(10))
        #expect(page.text.contains("id=\"start\" name=\"start\" type=\"date\" value=\"\(weekAgo)\""))
        #expect(page.text.contains("id=\"end\" name=\"end\" type=\"date\" value=\"\(today)\""))
    }
}
