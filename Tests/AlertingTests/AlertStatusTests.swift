import Alerting
import Beliefs
import Testing

/// The state machine's repeat interval, silences and acknowledgements.
@Suite struct AlertStatusTests {
    let firing = TimedVerdict.at(t0, .breaching)
    let timing = AlertTiming(holdFor: .zero, repeatInterval: .hours(4))

    @Test func repeatIntervalRemindsWhileFiring() {
        var status = AlertStatus()
        #expect(status.apply(firing, timing: timing, muted: false, now: t0) == .firing)
        #expect(status.remind(timing: timing, muted: false, now: t0 + .hours(3)) == nil)
        #expect(status.remind(timing: timing, muted: false, now: t0 + .hours(4)) == .reminder)
        #expect(status.remind(timing: timing, muted: false, now: t0 + .hours(5)) == nil)
        #expect(status.lastNotifiedAt == t0 + .hours(4))
    }

    @Test func noRepeatIntervalMeansOneNotice() {
        var status = AlertStatus()
        _ = status.apply(firing, timing: AlertTiming(), muted: false, now: t0)
        #expect(status.remind(timing: AlertTiming(), muted: false, now: t0 + .days(30)) == nil)
    }

    @Test func acknowledgementStopsRemindersAndClearsOnResolve() {
        var status = AlertStatus()
        _ = status.apply(firing, timing: timing, muted: false, now: t0)
        status.acknowledged = true
        #expect(status.remind(timing: timing, muted: false, now: t0 + .hours(8)) == nil)
        #expect(status.apply(.at(t0 + .hours(9), .clear), timing: timing, muted: false, now: t0 + .hours(9)) == .resolved)
        #expect(!status.acknowledged)
    }

    @Test func silenceMutesAndTheAlertIsToldWhenItExpires() {
        let silence = Silence(matchers: [LabelMatcher(name: "alertname", value: "hot")], startsAt: t0, endsAt: t0 + .hours(1))
        let labels = ["alertname": "hot", "severity": "critical"]
        var status = AlertStatus()
        #expect(status.apply(firing, timing: timing, muted: silence.mutes(labels, at: t0), now: t0) == nil)
        #expect(status.state == .firing)
        let during = t0 + .minutes(30), after = t0 + .hours(1)
        #expect(status.remind(timing: timing, muted: silence.mutes(labels, at: during), now: during) == nil)
        #expect(status.remind(timing: timing, muted: silence.mutes(labels, at: after), now: after) == .firing)
    }

    @Test func aMutedAlertThatResolvesUntoldSendsNothing() {
        var status = AlertStatus()
        _ = status.apply(firing, timing: timing, muted: true, now: t0)
        #expect(status.apply(.at(t0 + .hours(1), .clear), timing: timing, muted: true, now: t0 + .hours(1)) == nil)
        #expect(status.state == .resolved)
    }

    @Test func aNewBreachAfterResolvingStartsOver() {
        var status = AlertStatus()
        _ = status.apply(firing, timing: timing, muted: false, now: t0)
        _ = status.apply(.at(t0 + .hours(1), .clear), timing: timing, muted: false, now: t0 + .hours(1))
        #expect(status.apply(.at(t0 + .hours(2), .breaching), timing: timing, muted: false, now: t0 + .hours(2)) == .firing)
        #expect(status.activeSince == t0 + .hours(2))
    }

    @Test func holdChangesNothing() {
        var status = AlertStatus(state: .pending, activeSince: t0)
        let before = status
        #expect(status.apply(.at(t0 + .hours(1), .hold), timing: timing, muted: false, now: t0) == nil)
        #expect(status == before)
    }

    @Test func timerRulesPendThroughTheirForOnTheClock() {
        var status = AlertStatus()
        let holding = AlertTiming(holdFor: .minutes(5))
        #expect(status.apply(.at(t0, .breaching), timing: holding, muted: false, now: t0) == nil)
        #expect(status.state == .pending)
        #expect(status.apply(.at(t0 + .minutes(4), .breaching), timing: holding, muted: false, now: t0 + .minutes(4)) == nil)
        #expect(status.apply(.at(t0 + .minutes(5), .breaching), timing: holding, muted: false, now: t0 + .minutes(5)) == .firing)
    }

    @Test(arguments: [
        ("alertname=hot", ["alertname": "hot"], true),
        ("alertname=hot", ["alertname": "cold"], false),
        ("asset!=solar", ["asset": "battery"], true),
        ("asset!=solar", ["asset": "solar"], false),
        ("asset=", [String: String](), true),
    ])
    func matchersCompareLabels(text: String, labels: [String: String], matches: Bool) throws {
        #expect(try #require(LabelMatcher(parsing: text)).matches(labels) == matches)
    }

    @Test func silenceOnlyHoldsWithinItsTimes() {
        let silence = Silence(matchers: [LabelMatcher(name: "a", value: "1")], startsAt: t0, endsAt: t0 + .hours(1))
        #expect(!silence.mutes(["a": "1"], at: t0 - .seconds(1)))
        #expect(silence.mutes(["a": "1"], at: t0))
        #expect(!silence.mutes(["a": "1"], at: t0 + .hours(1)))
    }

    @Test func fingerprintDependsOnLabelsNotTheirOrder() {
        #expect(alertFingerprint(["a": "1", "b": "2"]) == alertFingerprint(["b": "2", "a": "1"]))
        #expect(alertFingerprint(["a": "1"]) != alertFingerprint(["a": "2"]))
        #expect(alertFingerprint([:]).count == 16)
    }
}
