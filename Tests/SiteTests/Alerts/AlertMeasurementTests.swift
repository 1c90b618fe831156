import Alerting
import Beliefs
import Registry
import Site
import Testing

/// Alerts judge what was measured (a belief horizon of zero or less), not what a client forecasts: a
/// `postPrognosis` neither fires alerts, nor holds back the judging of later measurements, nor ends a gap.
@Suite struct AlertMeasurementTests {
    /// A prognosis by the prosumer: `values` for events from `start`, all believed at `beliefTime`.
    static func prognosis(_ test: TestSite, _ asset: Asset, _ values: [Double], from start: String, believedAt beliefTime: Instant) async throws {
        let first = instant(start)
        let beliefs = values.enumerated().map { index, value in
            Belief(sensorID: asset.id, eventStart: first + asset.fields.eventResolution * Int64(index), beliefTime: beliefTime, sourceID: 0, value: value)
        }
        try await test.site.ingest(beliefs, from: .user(id: test.user.id, name: test.user.username))
    }

    @Test func aPrognosisForTomorrowDoesNotHoldBackTodaysMeasurements() async throws {
        let test = try TestSite()
        _ = try await test.rule(["name": "hot", "kind": "threshold_above", "sensor_id": number(Double(test.battery.id)), "value": 1])
        try await Self.prognosis(test, test.battery, [0.5, 0.5, 0.5, 0.5], from: "2015-06-03T00:00:00Z", believedAt: TestSite.now)
        try await test.measure(test.battery, [2], from: "2015-06-02T09:30:00Z")
        #expect(try test.onlyAlert().state == .firing)
        #expect(try test.onlyAlert().activeSince == instant("2015-06-02T09:30:00Z"))
    }

    @Test func aPrognosisAboveTheThresholdFiresNothing() async throws {
        let test = try TestSite()
        _ = try await test.rule(["name": "hot", "kind": "threshold_above", "sensor_id": number(Double(test.battery.id)), "value": 1])
        // Today's remaining quarter hours and tomorrow's, forecast at 10:00: none of them measured yet.
        try await Self.prognosis(test, test.battery, [5, 5, 5], from: "2015-06-02T10:00:00Z", believedAt: TestSite.now)
        try await Self.prognosis(test, test.battery, [5], from: "2015-06-03T12:00:00Z", believedAt: TestSite.now)
        #expect(try test.site.alerts(visibleTo: nil).isEmpty)
        #expect(try test.site.notices().isEmpty)
    }

    @Test func aPrognosisEndsNoGap() async throws {
        let clock = SiteClock()
        let test = try TestSite(clock: clock.now)
        _ = try await test.rule(["name": "silent", "kind": "gap", "sensor_id": number(Double(test.battery.id)), "duration": "PT1H"])
        try await test.measure(test.battery, [1], from: "2015-06-02T09:45:00Z")
        clock.advance(by: .hours(2))
        _ = try await test.site.evaluateAlerts()
        #expect(try test.onlyAlert().state == .firing)

        try await Self.prognosis(test, test.battery, [1, 1], from: "2015-06-03T00:00:00Z", believedAt: clock.now())
        clock.advance(by: .seconds(30))
        _ = try await test.site.evaluateAlerts()
        #expect(try test.onlyAlert().state == .firing, "a forecast is no data received from the meter")

        try await test.measure(test.battery, [1], from: "2015-06-02T11:45:00Z")
        clock.advance(by: .seconds(30))
        _ = try await test.site.evaluateAlerts()
        #expect(try test.onlyAlert().state == .resolved)
    }

    @Test func aPrognosisIsNoBaselineForOutliersAgainstLastWeek() async throws {
        let test = try TestSite()
        _ = try await test.rule(["name": "odd", "kind": "outlier", "sensor_id": number(Double(test.hourly.id)), "factor": 3, "floor": 0.5])
        // Last week's 11:00 was only ever forecast (at 09:00 that day): nothing measured to compare with.
        try await Self.prognosis(test, test.hourly, [9], from: "2015-05-26T11:00:00Z", believedAt: instant("2015-05-26T09:00:00Z"))
        try await test.measure(test.hourly, [1], from: "2015-06-02T11:00:00Z")
        #expect(try test.site.alerts(visibleTo: nil).isEmpty)
        // Once it is measured, it is the baseline.
        try await test.measure(test.hourly, [9], from: "2015-05-26T12:00:00Z")
        try await test.measure(test.hourly, [1], from: "2015-06-02T12:00:00Z")
        #expect(try test.onlyAlert().state == .firing)
    }
}
