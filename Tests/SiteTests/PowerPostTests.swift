import Beliefs
import Jobs
import Registry
import Site
import Testing

/// `Site.postPowerData`: posted power becomes beliefs with the post's timing, at the asset's resolution;
/// what breaks a rule of the site is refused whole, with what to fix.
@Suite struct PowerPostTests {
    func post(_ values: [Double], to assets: [Asset], start: String = "2015-06-01T00:00:00Z", resolution: Timespan = .minutes(15),
              timing: PostTiming = PostTiming(horizon: Horizon(duration: .minutes(-5), isRolling: true), prior: nil)) -> PowerPost {
        PowerPost(
            series: Timeseries(start: instant(start), resolution: resolution, values: values), timing: timing,
            connections: assets.map { PowerPost.Connection(name: "connection \($0.id)", asset: $0) }
        )
    }

    @Test func meterDataIsStoredWithBeliefTimesFromItsHorizon() async throws {
        let test = try TestSite()
        try await test.site.postPowerData([post([1, 2], to: [test.battery])], kind: .meterData, by: test.user)
        let stored = try test.beliefs(of: test.battery.id)
        #expect(stored.map(\.value) == [1, 2])
        #expect(stored.map(\.beliefTime) == [instant("2015-06-01T00:20:00Z"), instant("2015-06-01T00:35:00Z")])
    }

    @Test func withoutHorizonOrPriorTheBeliefTimeIsWhenThePostArrived() async throws {
        let test = try TestSite()
        let timing = PostTiming(horizon: nil, prior: nil)
        try await test.site.postPowerData([post([1], to: [test.battery], start: "2015-06-03T00:00:00Z", timing: timing)], kind: .prognosis, by: test.user)
        #expect(try test.beliefs(of: test.battery.id).map(\.beliefTime) == [TestSite.now])
    }

    @Test func meterDataQueuesForecastsOfEveryReferenceHorizonInTheSameTransaction() async throws {
        let test = try TestSite()
        try await test.site.postPowerData([post([1], to: [test.battery, test.evse])], kind: .meterData, by: test.user)
        let counts = try await test.site.jobs.counts(queue: .forecasting)
        #expect(counts.byStatus[.queued] == 2 * ForecastingJob.referenceHorizons.count)
        // Another post while they wait queues nothing more.
        try await test.site.postPowerData([post([1], to: [test.battery], start: "2015-06-01T00:15:00Z")], kind: .meterData, by: test.user)
        #expect(try await test.site.jobs.counts(queue: .forecasting).byStatus[.queued] == 2 * ForecastingJob.referenceHorizons.count)
    }

    @Test func prognosesQueueNoForecasts() async throws {
        let test = try TestSite()
        let prior = PostTiming(horizon: nil, prior: instant("2015-05-31T00:00:00Z"))
        try await test.site.postPowerData([post([1], to: [test.battery], timing: prior)], kind: .prognosis, by: test.user)
        #expect(try await test.site.jobs.counts(queue: .forecasting).byStatus[.queued] == nil)
        #expect(try test.beliefs(of: test.battery.id).count == 1)
    }

    @Test func coarserDataIsRepeatedAtTheAssetsResolution() async throws {
        let test = try TestSite()
        try await test.site.postPowerData([post([3], to: [test.battery], resolution: .hours(1))], kind: .meterData, by: test.user)
        #expect(try test.beliefs(of: test.battery.id).map(\.value) == [3, 3, 3, 3])
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let label: String
        let reason: PostProblem
        let kind: PowerPost.Kind
        let values: [Double]
        let asset: String
        var resolution: Timespan = .minutes(15)
        var horizon: Timespan = .minutes(-5)
        var testDescription: String { label }
    }

    static let refusals: [Refusal] = [
        Refusal(label: "production for a pure consumer", reason: .valueTooSmall, kind: .meterData, values: [-1], asset: "cs1"),
        Refusal(label: "consumption for a pure producer", reason: .valueTooBig, kind: .meterData, values: [1], asset: "solar"),
        Refusal(label: "meter data known before its interval ended", reason: .positiveHorizonForMeterData, kind: .meterData, values: [1], asset: "battery", horizon: .minutes(5)),
        Refusal(label: "finer data than the asset's", reason: .resolutionNotAMultiple, kind: .prognosis, values: [1, 1], asset: "battery", resolution: .minutes(5)),
        Refusal(label: "data that is no multiple of the asset's", reason: .resolutionNotAMultiple, kind: .prognosis, values: [1], asset: "battery", resolution: .minutes(20)),
    ]

    @Test(arguments: refusals)
    func whatBreaksARuleIsRefusedWhole(_ refusal: Refusal) async throws {
        let test = try TestSite()
        let asset = try #require([test.evse, test.solar, test.battery].first { $0.fields.name == refusal.asset })
        let timing = PostTiming(horizon: Horizon(duration: refusal.horizon, isRolling: true), prior: nil)
        // A valid group first: nothing of it is stored either.
        let posts = [
            post([0], to: [asset], start: "2015-05-31T00:00:00Z"),
            post(refusal.values, to: [asset], resolution: refusal.resolution, timing: timing),
        ]
        let error = await #expect(throws: PostError.self) {
            try await test.site.postPowerData(posts, kind: refusal.kind, by: test.user)
        }
        #expect(error?.reason == refusal.reason)
        #expect(try test.beliefs(of: asset.id, from: "2015-05-30T00:00:00Z").isEmpty, "nothing stored")
        #expect(try await test.site.jobs.counts(queue: .forecasting).byStatus.isEmpty, "nothing queued")
    }

    @Test func onePostCoversOneResolution() async throws {
        let test = try TestSite()
        let error = await #expect(throws: PostError.self) {
            try await test.site.postPowerData([post([1], to: [test.battery, test.hourly], resolution: .hours(1))], kind: .meterData, by: test.user)
        }
        #expect(error?.reason == .resolutionMismatch)
        #expect(error?.description.contains("another message") == true)
    }

    @Test func aPostMayNotRepeatItsValuesWithoutLimit() async throws {
        var settings = Site.Settings()
        settings.maximumUpsampling = 2
        let test = try TestSite(settings: settings)
        await #expect(throws: BoundsError.self) {
            try await test.site.postPowerData([post([1], to: [test.battery], resolution: .hours(1))], kind: .meterData, by: test.user)
        }
        #expect(try test.beliefs(of: test.battery.id).isEmpty)
    }

    @Test func theSameBeliefsTwiceAreRefusedAsAlreadyStored() async throws {
        let test = try TestSite()
        let posted = post([1], to: [test.battery])
        try await test.site.postPowerData([posted], kind: .prognosis, by: test.user)
        let error = await #expect(throws: IngestError.self) {
            try await test.site.postPowerData([posted], kind: .prognosis, by: test.user)
        }
        #expect(error?.reason == .alreadyStored)
    }
}
