import Beliefs
import Registry
import Site
import Testing

/// `Site.powerChart`: an asset's measurements, forecasts and schedules over a window, most recent per slot.
@Suite struct PowerChartTests {
    func postMeasurementsAndPrognosis(_ test: TestSite) async throws {
        let start = instant("2015-01-01T00:00:00Z")
        let measured = PowerPost(
            series: Timeseries(start: start, resolution: .minutes(15), values: [1, 2, 3, 4]),
            timing: PostTiming(horizon: Horizon(duration: .zero, isRolling: true), prior: nil),
            connections: [PowerPost.Connection(name: "battery", asset: test.battery)]
        )
        try await test.site.postPowerData([measured], kind: .meterData, by: test.user)
        let expected = PowerPost(
            series: Timeseries(start: start, resolution: .minutes(15), values: [5, 5, 5, 5]),
            timing: PostTiming(horizon: nil, prior: instant("2014-12-31T12:00:00Z")),
            connections: [PowerPost.Connection(name: "battery", asset: test.battery)]
        )
        try await test.site.postPowerData([expected], kind: .prognosis, by: test.user)
    }

    @Test func measurementsAndForecastsAreSeparateLines() async throws {
        let test = try TestSite()
        try await postMeasurementsAndPrognosis(test)
        let chart = try await test.site.powerChart(
            of: test.battery, from: instant("2015-01-01T00:00:00Z"), to: instant("2015-01-01T01:00:00Z"), resolution: nil, consumptionPositive: true
        )
        #expect(chart.points.filter { $0.line == .measurements }.map(\.power) == [1, 2, 3, 4])
        #expect(chart.points.filter { $0.line == .forecasts }.map(\.power) == [5, 5, 5, 5])
        #expect(chart.points.filter { $0.line == .schedules }.isEmpty)
        #expect(chart.points.first?.time == instant("2015-01-01T00:00:00Z"))
    }

    @Test func aCoarserResolutionAveragesAndProductionPositiveFlipsTheSign() async throws {
        let test = try TestSite()
        try await postMeasurementsAndPrognosis(test)
        let chart = try await test.site.powerChart(
            of: test.battery, from: instant("2015-01-01T00:00:00Z"), to: instant("2015-01-01T01:00:00Z"), resolution: .hours(1),
            consumptionPositive: false
        )
        #expect(chart.points.filter { $0.line == .measurements }.map(\.power) == [-2.5])
        #expect(!chart.consumptionPositive)
    }

    @Test func aResolutionTheAssetsDoesNotDivideIsRefused() async throws {
        let test = try TestSite()
        let error = await #expect(throws: ChartError.self) {
            try await test.site.powerChart(
                of: test.battery, from: instant("2015-01-01T00:00:00Z"), to: instant("2015-01-01T01:00:00Z"), resolution: .minutes(20),
                consumptionPositive: true
            )
        }
        #expect(error?.reason == .resolution)
        #expect(error?.description == "Must be a whole multiple of the asset's PT15M.")
    }

    @Test func aWindowLongerThanOneRequestMayCoverIsRefused() async throws {
        var settings = Site.Settings()
        settings.maximumSlotsPerRequest = 96
        let test = try TestSite(settings: settings)
        let error = await #expect(throws: ChartError.self) {
            try await test.site.powerChart(
                of: test.battery, from: instant("2015-01-01T00:00:00Z"), to: instant("2015-01-01T00:15:01Z") + .days(1), resolution: nil,
                consumptionPositive: true
            )
        }
        #expect(error?.reason == .window)
        #expect(error?.description.contains("FLEXMEASURES_MAX_SLOTS_PER_REQUEST") == true)
    }
}
