import Beliefs
import Site
import Testing

/// `Site.postSensorData`: prices and weather go to every sensor a post names, at each one's resolution.
@Suite struct SensorPostTests {
    @Test func aSeriesGoesToEverySensorAtItsOwnResolution() async throws {
        let test = try TestSite()
        let series = Timeseries(start: instant("2015-06-02T00:00:00Z"), resolution: .hours(1), values: [50, 60])
        let timing = PostTiming(horizon: nil, prior: instant("2015-06-01T12:00:00Z"))
        let sensors = [
            PostedSensor(id: 1, resolution: .hours(1), name: "market epex_da"),
            PostedSensor(id: test.battery.id, resolution: .minutes(15), name: "asset"),
        ]
        try await test.site.postSensorData([SeriesPost(series: series, timing: timing, sensors: sensors)], by: test.user)
        #expect(try test.beliefs(of: 1).map(\.value) == [50, 60])
        #expect(try test.beliefs(of: test.battery.id).map(\.value) == [50, 50, 50, 50, 60, 60, 60, 60])
        #expect(try test.beliefs(of: 1).allSatisfy { $0.beliefTime == instant("2015-06-01T12:00:00Z") })
    }

    @Test func aFixedHorizonCountsFromTheEndOfThePeriodARollingOneFromEachEvent() async throws {
        let test = try TestSite()
        let market = PostedSensor(id: 1, resolution: .hours(1), name: "market epex_da")
        let series = Timeseries(start: instant("2015-06-02T00:00:00Z"), resolution: .hours(1), values: [1, 2])
        try await test.site.postSensorData([
            SeriesPost(series: series, timing: PostTiming(horizon: Horizon(duration: .hours(1), isRolling: false), prior: nil), sensors: [market]),
        ], by: test.user)
        #expect(try test.beliefs(of: 1).map(\.beliefTime) == [instant("2015-06-02T01:00:00Z"), instant("2015-06-02T01:00:00Z")])
        let later = Timeseries(start: instant("2015-06-03T00:00:00Z"), resolution: .hours(1), values: [1, 2])
        try await test.site.postSensorData([
            SeriesPost(series: later, timing: PostTiming(horizon: Horizon(duration: .hours(1), isRolling: true), prior: nil), sensors: [market]),
        ], by: test.user)
        #expect(try test.beliefs(of: 1, from: "2015-06-03T00:00:00Z").map(\.beliefTime) == [instant("2015-06-03T00:00:00Z"), instant("2015-06-03T01:00:00Z")])
    }

    @Test func dataFinerThanTheSensorsIsRefusedNamingTheSensor() async throws {
        let test = try TestSite()
        let series = Timeseries(start: instant("2015-06-02T00:00:00Z"), resolution: .minutes(15), values: [1])
        let error = await #expect(throws: PostError.self) {
            try await test.site.postSensorData([
                SeriesPost(series: series, timing: PostTiming(horizon: nil, prior: nil), sensors: [PostedSensor(id: 1, resolution: .hours(1), name: "market epex_da")]),
            ], by: test.user)
        }
        #expect(error?.reason == .resolutionNotAMultiple)
        #expect(error?.description.contains("market epex_da") == true)
    }
}
