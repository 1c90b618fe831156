import Alerting
import Beliefs
import Testing

/// Every data rule kind fires on what it watches, stays pending for its `for`, and resolves (with its
/// hysteresis where it has one).
@Suite struct RuleKindTests {
    @Test func thresholdAboveFiresAfterHoldingForItsDuration() {
        let verdicts = RuleEvaluation.threshold(.init(above: true, trigger: 5, recovery: 4), series([1, 6, 6, 6, 6, 3]), resolution: quarter)
        let result = run(verdicts, timing: AlertTiming(holdFor: .minutes(45)))
        #expect(result.states == [.inactive, .pending, .pending, .firing, .firing, .resolved])
        #expect(result.notices == [.firing, .resolved])
        #expect(result.status.firedAt == t0 + .minutes(60))
        #expect(result.status.resolvedAt == t0 + .minutes(75))
    }

    @Test func thresholdRecoversOnlyPastTheRecoveryValue() {
        // 4.5 lies between recovery 4 and trigger 5: the alert keeps firing; 4 clears.
        let verdicts = RuleEvaluation.threshold(.init(above: true, trigger: 5, recovery: 4), series([6, 4.5, 4.9, 4]), resolution: quarter)
        #expect(verdicts.map(\.verdict) == [.breaching, .hold, .hold, .clear])
        #expect(run(verdicts).states == [.firing, .firing, .firing, .resolved])
        // In the band a quiet alert stays quiet.
        #expect(run(Array(verdicts.dropFirst())).states == [.inactive, .inactive, .inactive])
    }

    @Test func thresholdBelowIsTheMirrorImage() {
        let verdicts = RuleEvaluation.threshold(.init(above: false, trigger: 1, recovery: 2), series([3, 0.5, 1.5, 2.5]), resolution: quarter)
        #expect(verdicts.map(\.verdict) == [.clear, .breaching, .hold, .clear])
        #expect(run(verdicts).notices == [.firing, .resolved])
    }

    @Test func pendingThatClearsBeforeItsDurationNeverNotifies() {
        let verdicts = RuleEvaluation.threshold(.init(above: true, trigger: 5, recovery: 5), series([6, 6, 1]), resolution: quarter)
        let result = run(verdicts, timing: AlertTiming(holdFor: .hours(1)))
        #expect(result.states == [.pending, .pending, .inactive])
        #expect(result.notices.isEmpty)
    }

    @Test func flatLineFiresWhenTheValueHasNotChangedForItsDuration() {
        let values = series([1, 2, 2, 2, 2, 3])
        let (starts, run1) = ValueRun.advance(nil, with: values)
        let verdicts = RuleEvaluation.flatLine(duration: .hours(1), values, runStarts: starts, resolution: quarter)
        #expect(verdicts.map(\.verdict) == [.clear, .clear, .clear, .clear, .breaching, .clear])
        #expect(run(verdicts).notices == [.firing, .resolved])
        #expect(run1 == ValueRun(value: 3, since: t0 + .minutes(75), lastEventStart: t0 + .minutes(75)))
    }

    @Test func flatLineCarriesItsRunAcrossBatches() {
        let first = series([2, 2])
        let (_, carried) = ValueRun.advance(nil, with: first)
        let second = series([2, 2], from: t0 + .minutes(30))
        let (starts, _) = ValueRun.advance(carried, with: second)
        #expect(starts == [t0, t0])
        let verdicts = RuleEvaluation.flatLine(duration: .hours(1), second, runStarts: starts, resolution: quarter)
        #expect(verdicts.map(\.verdict) == [.clear, .breaching])
    }

    @Test func outlierNeedsBothTheRobustScoreAndTheFloor() {
        let values = series([10, 11, 9, 10, 40, 0.3])
        var expected: [Instant: Double] = [:]
        for (index, observation) in values.enumerated() { expected[observation.eventStart] = index == 5 ? 0 : 10 }
        let verdicts = RuleEvaluation.outlier(values, expected: expected, factor: 5, floor: 1, resolution: quarter)
        // 40 against 10 is far; 0.3 against 0 (a night zero) is under the floor.
        #expect(verdicts.map(\.verdict) == [.clear, .clear, .clear, .clear, .breaching, .clear])
        #expect(run(verdicts).notices == [.firing, .resolved])
    }

    @Test func outlierWithoutAnExpectedValueHolds() {
        let verdicts = RuleEvaluation.outlier(series([100]), expected: [:], factor: 3, floor: 1, resolution: quarter)
        #expect(verdicts.map(\.verdict) == [.hold])
    }

    @Test func idleUseFiresOnlyInsideTheQuietWindowInLocalTime() throws {
        let window = try #require(QuietWindow(parsing: "01:00-05:00"))
        // Hourly from 23:00 UTC; two hours ahead locally: 01:00 to 06:00 local.
        let start = Instant(secondsSinceEpoch: 1_433_199_600) // 2015-06-01T23:00:00Z
        let values = series([0.5, 0.5, 0, 0.5, 0.5, 0.5, 0.5], from: start, step: .hours(1))
        let verdicts = RuleEvaluation.idleUse(level: 0.1, window: window, values, resolution: .hours(1), utcOffset: { _ in .hours(2) })
        #expect(verdicts.map(\.verdict) == [.breaching, .breaching, .clear, .breaching, .clear, .clear, .clear])
        let result = run(verdicts, timing: AlertTiming(holdFor: .hours(2)))
        #expect(result.states == [.pending, .firing, .resolved, .pending, .inactive, .inactive, .inactive])
    }

    @Test func idleUseWithoutWindowFiresWhenConsumptionNeverDropsToTheLevel() {
        let verdicts = RuleEvaluation.idleUse(level: 0, window: nil, series([0.2, 0.1, 0.3, 0.2, 0]), resolution: quarter, utcOffset: { _ in .zero })
        let result = run(verdicts, timing: AlertTiming(holdFor: .hours(1)))
        #expect(result.states == [.pending, .pending, .pending, .firing, .resolved])
    }

    @Test func gapCountsFromTheLastReceiptOrTheGracePeriod() {
        let started = t0
        // Data 20 minutes before the start: the grace period counts from the start, and holds meanwhile.
        #expect(RuleEvaluation.silence(lastReceived: t0 - .minutes(20), watchingSince: started, now: t0 + .minutes(20), length: .minutes(45)).verdict == .clear)
        #expect(RuleEvaluation.silence(lastReceived: t0 - .minutes(20), watchingSince: started, now: t0 + .minutes(44), length: .minutes(45)).verdict == .hold)
        #expect(RuleEvaluation.silence(lastReceived: t0 - .minutes(20), watchingSince: started, now: t0 + .minutes(45), length: .minutes(45)).verdict == .breaching)
        // Never had data: the same grace.
        #expect(RuleEvaluation.silence(lastReceived: nil, watchingSince: started, now: t0 + .minutes(44), length: .minutes(45)).verdict == .hold)
        #expect(RuleEvaluation.silence(lastReceived: nil, watchingSince: started, now: t0 + .minutes(45), length: .minutes(45)).verdict == .breaching)
        // Data received after the start counts from its receipt.
        #expect(RuleEvaluation.silence(lastReceived: t0 + .hours(1), watchingSince: started, now: t0 + .minutes(100), length: .minutes(45)).verdict == .clear)
    }

    @Test func uplinkBacklogBreachesOnlyOnceItHasWaitedLongerThanItsLimit() {
        let limit = Timespan.minutes(30)
        let started = t0 - .days(1)
        #expect(RuleEvaluation.uplinkBacklog(backlogAge: .zero, watchingSince: started, now: t0, limit: limit) == .at(t0, .clear, value: 0))
        #expect(RuleEvaluation.uplinkBacklog(backlogAge: limit, watchingSince: started, now: t0, limit: limit) == .at(t0, .clear, value: 1800))
        #expect(RuleEvaluation.uplinkBacklog(backlogAge: limit + .seconds(1), watchingSince: started, now: t0, limit: limit) == .at(t0, .breaching, value: 1801))
    }

    @Test func uplinkBacklogHoldsUntilTheUplinkHadItsLimitToCatchUpAfterAStart() {
        let limit = Timespan.minutes(30)
        let old = Timespan.hours(5)
        let verdicts = [
            RuleEvaluation.uplinkBacklog(backlogAge: old, watchingSince: t0 - .hours(1), now: t0, limit: limit),
            RuleEvaluation.uplinkBacklog(backlogAge: old, watchingSince: t0, now: t0, limit: limit),
            RuleEvaluation.uplinkBacklog(backlogAge: old, watchingSince: t0 - limit, now: t0, limit: limit),
            RuleEvaluation.uplinkBacklog(backlogAge: .zero, watchingSince: t0, now: t0, limit: limit),
        ]
        #expect(verdicts.map(\.verdict) == [.breaching, .hold, .hold, .clear])
        // A restart neither resolves a firing alert nor, with a young backlog, keeps it firing.
        #expect(run(verdicts).states == [.firing, .firing, .firing, .resolved])
        #expect(run(Array(verdicts.dropFirst())).notices.isEmpty)
    }

    @Test func gapLengthInResolutionsFollowsTheSensor() {
        #expect(RuleCondition.GapLength.resolutions(3).length(resolution: .minutes(15)) == .minutes(45))
        #expect(RuleCondition.GapLength.resolutions(3).length(resolution: .zero) == .minutes(3))
        #expect(RuleCondition.GapLength.resolutions(.max).length(resolution: .hours(1)) == Timespan.longestParsed)
    }

    @Test(arguments: ["01:00-05:00", "22:00-06:00", "00:00-24:00"])
    func quietWindowsRoundTrip(text: String) throws {
        #expect(try #require(QuietWindow(parsing: text)).text == text)
    }

    @Test(arguments: ["1:00-05:00", "01:00", "05:00-05:00", "25:00-01:00", "01:60-02:00", "24:00-01:00"])
    func malformedQuietWindowsAreRefused(text: String) {
        #expect(QuietWindow(parsing: text) == nil)
    }

    @Test func windowWrappingMidnightContainsBothSides() throws {
        let window = try #require(QuietWindow(parsing: "22:00-06:00"))
        #expect(window.contains(minuteOfDay: 23 * 60))
        #expect(window.contains(minuteOfDay: 60))
        #expect(!window.contains(minuteOfDay: 12 * 60))
    }
}
