import Beliefs
import Foundation
import Registry
import Site
import Testing

/// `GET /analytics`: measurements beside forecasts at a horizon, prices, weather, accuracy, CSV.
@Suite struct AnalyticsPageTests {
    /// Solar measured -2, -2, -1, -1 MW; forecast an hour ahead -1.5, -2.5, -1, -0.5 (errors 0.5, 0.5, 0,
    /// 0.5: MAE 0.375, WAPE 1.5 / 6, so 1 - WAPE 75 %); six hours ahead -9 for the first slot only. Prices
    /// 40 EUR/MWh for the hour; irradiance 0.25 kW/m² from a sensor next to the asset.
    func handComputedSite() async throws -> InProcessConsole {
        let console = try InProcessConsole()
        let day = console.pastDay
        try await console.measure("solar", from: day, [-2, -2, -1, -1])
        try await console.forecast("solar", from: day, horizon: .hours(1), [-1.5, -2.5, -1, -0.5])
        try await console.forecast("solar", from: day, horizon: .hours(6), [-9])
        try await console.prices(from: day, [40])
        let sensor = try console.site.registry.addWeatherSensor(NewWeatherSensor(
            name: "irradiance", weatherSensorTypeName: "radiation", unit: "kW/m²", eventResolution: .minutes(15), latitude: 52.37, longitude: 4.9
        ))
        _ = try await console.site.store.append([
            Belief(sensorID: sensor.id, eventStart: day, beliefTime: day + .hours(1), sourceID: try console.prosumerSource(), value: 0.25),
        ])
        return console
    }

    @Test func measurementsForecastsPricesWeatherAndAccuracyAreShown() async throws {
        let console = try await handComputedSite()
        let prosumer = try await console.signedIn("prosumer")
        let solar = try console.id(ofAsset: "solar")
        let date = console.pastDate
        let page = try await prosumer.get("/analytics?assets=\(solar)&start=\(date)&end=\(date)&resolution=15&horizon=1")
        #expect(page.status == 200)
        let html = page.text
        let time = "\(date)T00:00:00Z"
        #expect(html.contains("<tr><td><time datetime=\"\(time)\">\(date) 00:00 UTC</time></td><td class=\"number\">-2.000</td><td class=\"number\">-1.500</td><td class=\"number\">40.00</td><td class=\"number\">0.25</td></tr>"), "\(html)")
        #expect(html.contains("<tr><th scope=\"row\">1 hour(s)</th><td class=\"number\">4</td><td class=\"number\">0.375</td><td class=\"number\">75.0 %</td></tr>"))
        #expect(html.contains("<tr><th scope=\"row\">6 hour(s)</th><td class=\"number\">1</td><td class=\"number\">7.000</td>"))
        #expect(html.contains("id=\"measured-energy\">-1.500 MWh"))
        #expect(html.contains("id=\"forecast-energy\">-1.375 MWh"))
        // Six hours ahead: only the first slot was forecast that early.
        let sixHours = try await prosumer.get("/analytics?assets=\(solar)&start=\(date)&end=\(date)&resolution=15&horizon=6")
        #expect(sixHours.text.contains("<td class=\"number\">-2.000</td><td class=\"number\">-9.000</td>"))
        #expect(sixHours.text.contains("id=\"forecast-energy\">-2.250 MWh"))
    }

    @Test func theCSVHoldsWhatIsShown() async throws {
        let console = try await handComputedSite()
        let prosumer = try await console.signedIn("prosumer")
        let date = console.pastDate
        let csv = try await prosumer.get("/analytics?assets=type:solar&start=\(date)&end=\(date)&resolution=60&horizon=1&format=csv")
        #expect(csv.status == 200)
        #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
        let lines = csv.text.split(separator: "\n")
        #expect(lines.count == 25)
        #expect(lines.first == "event_start,measured_mw,forecast_mw_PT1H,price_EUR_per_MWh,weather_radiation")
        // An hour's mean power: -1.5 measured, -1.375 forecast.
        #expect(lines.dropFirst().first == "\(date)T00:00:00Z,-1.5,-1.375,40.0,0.25", "\(csv.text)")
        #expect(lines.last == "\(date)T23:00:00Z,,,,")
    }

    @Test func theChartIsServedAsSpecAndData() async throws {
        let console = try await handComputedSite()
        let prosumer = try await console.signedIn("prosumer")
        let solar = try console.id(ofAsset: "solar")
        let date = console.pastDate
        let page = try await prosumer.get("/analytics?assets=\(solar)&start=\(date)&end=\(date)&resolution=15&horizon=1")
        #expect(page.text.contains("data-data-url=\"/analytics/chart/data?assets=\(solar)&amp;start=\(date)&amp;end=\(date)&amp;resolution=15&amp;horizon=1&amp;weather=radiation\""))
        let data = try #require(try await prosumer.get("/analytics/chart/data?assets=\(solar)&start=\(date)&end=\(date)&resolution=15&horizon=1").jsonList)
        #expect(data.filter { $0["series"] as? String == "measurements" }.count == 4)
        #expect(data.filter { $0["series"] as? String == "forecasts" }.count == 4)
        #expect(data.filter { $0["panel"] as? String == "price" }.count == 4)
        #expect(try await prosumer.get("/analytics/chart/spec").text.contains("\"facet\""))
    }

    @Test func anotherOwnersAssetIsRefusedAndStrangersAreSentToLogIn() async throws {
        let console = try InProcessConsole()
        let prosumer = try await console.signedIn("prosumer")
        let theirs = try console.id(ofAsset: "theirs")
        #expect(try await prosumer.get("/analytics?assets=\(theirs)").status == 403)
        #expect(try await prosumer.get("/analytics/chart/data?assets=\(theirs)").status == 403)
        #expect(try await prosumer.get("/analytics?assets=999999").status == 404)
        #expect(try await prosumer.get("/analytics").status == 200)
        #expect(try await console.visitor().get("/analytics").status == 303)
        let admin = try await console.signedIn("admin")
        #expect(try await admin.get("/analytics?assets=\(theirs)").status == 200)
    }

    @Test(arguments: [
        ("assets=type:nonsense", "assets-error"), ("assets=-3", "assets-error"), ("assets=12345678901234567890", "assets-error"),
        ("horizon=5", "horizon-error"), ("horizon=99999999999999999999", "horizon-error"), ("resolution=7", "resolution-error"),
        ("resolution=-9223372036854775808", "resolution-error"), ("start=2020-02-30", "start-error"),
    ])
    func hostileChoicesGetPerFieldMessages(query: String, field: String) async throws {
        let console = try InProcessConsole()
        let prosumer = try await console.signedIn("prosumer")
        let page = try await prosumer.get("/analytics?\(query)")
        #expect(page.status == 200)
        #expect(page.text.contains("id=\"\(field)\""), "\(page.text)")
    }
}

extension AnalyticsPageTests {
    @Test func aLongWindowListsAThousandSlotsAndSaysSo() async throws {
        let console = try InProcessConsole()
        let prosumer = try await console.signedIn("prosumer")
        let solar = try console.id(ofAsset: "solar")
        let page = try await prosumer.get("/analytics?assets=\(solar)&start=2025-01-01&end=2025-12-31&resolution=15")
        #expect(page.status == 200)
        #expect(page.text.contains("the first 1000 of 35040 slots"))
        #expect(page.text.components(separatedBy: "<tr><td><time").count == 1001)
    }
}
