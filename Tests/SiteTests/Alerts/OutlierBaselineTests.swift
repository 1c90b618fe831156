import Alerting
import Beliefs
import Registry
import Site
import SiteDatabase
import Testing

/// Outliers against last week are judged against measured values the rules index keeps in memory (so that a
/// post reads no segments); what it keeps must stay what the store holds.
@Suite struct OutlierBaselineTests {
    struct Refused: Error {}

    /// A measurement of the hourly asset's event at `start`, made at `madeAt`.
    static func measurement(_ test: TestSite, _ value: Double, at start: String, madeAt: String) -> Belief {
        Belief(sensorID: test.hourly.id, eventStart: instant(start), beliefTime: instant(madeAt), sourceID: 0, value: value)
    }

    static func outlierRule(_ test: TestSite) async throws {
        _ = try await test.rule(["name": "odd", "kind": "outlier", "sensor_id": number(Double(test.hourly.id)), "factor": 3, "floor": 0.5])
    }

    @Test func aCorrectionOfLastWeekPostedAfterTheBaselineWasReadCounts() async throws {
        let test = try TestSite()
        try await Self.outlierRule(test)
        try await test.measure(test.hourly, [1, 1], from: "2015-05-26T11:00:00Z")
        try await test.measure(test.hourly, [1], from: "2015-06-02T11:00:00Z")
        #expect(try test.site.alerts(visibleTo: nil).isEmpty)
        // Last week's 12:00 measured again, later and otherwise: the newest measurement is the baseline.
        try await test.site.ingest([Self.measurement(test, 9, at: "2015-05-26T12:00:00Z", madeAt: "2015-05-27T08:00:00Z")], from: .user(id: test.user.id, name: test.user.username))
        try await test.measure(test.hourly, [1], from: "2015-06-02T12:00:00Z")
        #expect(try test.onlyAlert().state == .firing)
    }

    @Test func measurementsStoredByAnotherProcessCount() async throws {
        let test = try TestSite()
        try await Self.outlierRule(test)
        try await test.measure(test.hourly, [1], from: "2015-05-26T11:00:00Z")
        try await test.measure(test.hourly, [1], from: "2015-06-02T11:00:00Z")
        let other = Site(database: try SiteDatabase(path: test.file.path, migrations: SiteSchema.migrations), bcryptCost: 4, settings: Site.Settings(), clock: { TestSite.now })
        try await other.ingest([Self.measurement(test, 9, at: "2015-05-26T12:00:00Z", madeAt: "2015-05-26T13:00:00Z")], from: .user(id: test.user.id, name: test.user.username))
        try await test.measure(test.hourly, [1], from: "2015-06-02T12:00:00Z")
        #expect(try test.onlyAlert().state == .firing)
    }

    /// Neither the kept baseline nor the judging goes astray: a measurement of an event years ahead is not
    /// judged (it would have moved the newest judged event past every measurement until then).
    @Test func aMeasurementStatedYearsAheadChangesNothingElse() async throws {
        let test = try TestSite()
        try await Self.outlierRule(test)
        try await test.measure(test.hourly, [1, 9], from: "2015-05-26T11:00:00Z")
        try await test.measure(test.hourly, [1], from: "2015-06-02T11:00:00Z")
        // Beyond the kept grid of slots (an hourly sensor's 50,000 hours are about 5.7 years).
        try await test.site.ingest([Self.measurement(test, 5, at: "2024-06-02T11:00:00Z", madeAt: "2024-06-02T12:00:00Z")], from: .user(id: test.user.id, name: test.user.username))
        try await test.measure(test.hourly, [1], from: "2015-06-02T12:00:00Z")
        #expect(try test.onlyAlert().state == .firing)
    }

    @Test func aPostThatRolledBackLeavesNothingBehind() async throws {
        let test = try TestSite()
        try await Self.outlierRule(test)
        try await test.measure(test.hourly, [1, 1], from: "2015-05-26T11:00:00Z")
        try await test.measure(test.hourly, [1], from: "2015-06-02T11:00:00Z")
        let correction = Self.measurement(test, 9, at: "2015-05-26T12:00:00Z", madeAt: "2015-05-27T08:00:00Z")
        let site = test.site, user = test.user
        await #expect(throws: Refused.self) {
            try await site.ingest([correction], from: .user(id: user.id, name: user.username), also: { _ in throw Refused() })
        }
        try await test.measure(test.hourly, [1], from: "2015-06-02T12:00:00Z")
        #expect(try test.site.alerts(visibleTo: nil).isEmpty, "last week's 12:00 is still 1: the correction was rolled back")
    }
}
