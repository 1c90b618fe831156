import Beliefs
import Registry
import Site
import Testing

/// `Site.powerData`: whose beliefs a reader gets, and what a read may ask.
@Suite struct PowerReadingTests {
    func reading(sources: PowerReading.Sources = .byDefault, resolution: Timespan? = nil, end: String = "2015-06-01T00:30:00Z") -> PowerReading {
        PowerReading(start: instant("2015-06-01T00:00:00Z"), end: instant(end), resolution: resolution, horizon: nil, prior: nil, sources: sources)
    }

    /// Meter data of the battery from the test's prosumer and from another user.
    func postFromTwoUsers(_ test: TestSite) async throws -> User {
        let other = try test.site.registry.addUser(NewUser(username: "other", email: "other@example.com", password: "password-other", roles: ["Prosumer"]))
        let timing = PostTiming(horizon: Horizon(duration: .zero, isRolling: true), prior: nil)
        let connection = [PowerPost.Connection(name: "battery", asset: test.battery)]
        let mine = Timeseries(start: instant("2015-06-01T00:00:00Z"), resolution: .minutes(15), values: [1, nil])
        let theirs = Timeseries(start: instant("2015-06-01T00:00:00Z"), resolution: .minutes(15), values: [nil, 2])
        try await test.site.postPowerData([PowerPost(series: mine, timing: timing, connections: connection)], kind: .meterData, by: test.user)
        try await test.site.postPowerData([PowerPost(series: theirs, timing: timing, connections: connection)], kind: .meterData, by: other)
        return other
    }

    @Test func meterDataIsTheReadersOwnByDefault() async throws {
        let test = try TestSite()
        _ = try await postFromTwoUsers(test)
        let series = try test.site.powerData(of: [test.battery], reading(), kind: .meterData, for: test.user)
        #expect(series.map(\.values) == [[1, nil]])
    }

    @Test func namedSourcesAddToTheReadersOwn() async throws {
        let test = try TestSite()
        let other = try await postFromTwoUsers(test)
        let byID = try test.site.powerData(of: [test.battery], reading(sources: .named([.user(other.id)], asWritten: "\(other.id)")), kind: .meterData, for: test.user)
        #expect(byID.map(\.values) == [[1, 2]])
        let byRole = try test.site.powerData(of: [test.battery], reading(sources: .named([.role(.prosumer)], asWritten: "Prosumer")), kind: .meterData, for: test.user)
        #expect(byRole.map(\.values) == [[1, 2]])
    }

    @Test func sourcesThatMatchNoUserWithDataAreRefused() async throws {
        let test = try TestSite()
        let error = #expect(throws: ReadingError.self) {
            try test.site.powerData(of: [test.battery], reading(sources: .named([.role(.dso)], asWritten: "\"DSO\"")), kind: .meterData, for: test.user)
        }
        #expect(error?.reason == .unknownSource)
        #expect(error?.description == "The data source is not found: no user matches \"DSO\"")
    }

    @Test func aResolutionAnAssetsDoesNotDivideIsRefused() throws {
        let test = try TestSite()
        let error = #expect(throws: ReadingError.self) {
            try test.site.powerData(of: [test.battery, test.hourly], reading(resolution: .minutes(30)), kind: .prognosis, for: test.user)
        }
        #expect(error?.reason == .resolutionNotAMultiple)
    }

    @Test func theAssetsOfOneReadShareOneSlotBudget() throws {
        var settings = Site.Settings()
        settings.maximumSlotsPerRequest = 96
        let test = try TestSite(settings: settings)
        let thirteenHours = reading(end: "2015-06-01T13:00:00Z")
        #expect(try test.site.powerData(of: [test.battery], thirteenHours, kind: .prognosis, for: test.user).count == 1)
        #expect(throws: BoundsError.self) {
            try test.site.powerData(of: [test.battery, test.evse], thirteenHours, kind: .prognosis, for: test.user)
        }
    }

    @Test func prognosesPreferAUsersOverANewerForecast() async throws {
        let test = try TestSite()
        let series = Timeseries(start: instant("2015-06-01T00:00:00Z"), resolution: .minutes(15), values: [5])
        let connection = [PowerPost.Connection(name: "battery", asset: test.battery)]
        try await test.site.postPowerData(
            [PowerPost(series: series, timing: PostTiming(horizon: nil, prior: instant("2015-05-31T00:00:00Z")), connections: connection)],
            kind: .prognosis, by: test.user
        )
        let forecast = Belief(sensorID: test.battery.id, eventStart: instant("2015-06-01T00:00:00Z"), beliefTime: instant("2015-05-31T12:00:00Z"), sourceID: 0, value: 7)
        try await test.site.ingest([forecast], from: .script(name: "forecaster", type: .forecaster))
        let read = try test.site.powerData(of: [test.battery], reading(end: "2015-06-01T00:15:00Z"), kind: .prognosis, for: test.user)
        #expect(read.map(\.values) == [[5]])
    }
}
