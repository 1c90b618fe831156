import Beliefs
import Testing

/// The reference's example (14.4.6): values 10, 5, 8 for 13:00-13:45 UTC at PT15M on 2016-05-01.
@Suite struct BeliefTimingTests {
    static let eventStarts = [Instant.may1(13, 0), .may1(13, 15), .may1(13, 30)]
    static let periodEnd = Instant.may1(13, 45)
    static let arrival = Instant.may1(14, 2, 7)

    static func beliefTimes(horizon: Horizon?, prior: Instant?) -> [Instant] {
        eventStarts.map {
            BeliefTiming.beliefTime(
                eventStart: $0, eventResolution: .minutes(15), periodEnd: periodEnd, horizon: horizon,
                prior: prior, arrival: arrival
            )
        }
    }

    @Test func priorSetsOneTimeForTheWholeMessage() {
        #expect(Self.beliefTimes(horizon: nil, prior: .may1(7, 45)) == [.may1(7, 45), .may1(7, 45), .may1(7, 45)])
    }

    @Test func rollingHorizonCountsBackFromEachEventEnd() {
        let horizon = Horizon(duration: .hours(6), isRolling: true)
        #expect(Self.beliefTimes(horizon: horizon, prior: nil) == [.may1(7, 15), .may1(7, 30), .may1(7, 45)])
    }

    @Test func fixedHorizonCountsBackFromTheEndOfThePostedPeriod() {
        let horizon = Horizon(duration: .hours(6), isRolling: false)
        #expect(Self.beliefTimes(horizon: horizon, prior: nil) == [.may1(7, 45), .may1(7, 45), .may1(7, 45)])
    }

    @Test func negativeRollingHorizonPlacesBeliefsAfterTheFact() {
        let horizon = Horizon(duration: -.minutes(10), isRolling: true)
        #expect(Self.beliefTimes(horizon: horizon, prior: nil) == [.may1(13, 25), .may1(13, 40), .may1(13, 55)])
    }

    @Test func rollingHorizonOfFiveMinutesMeansTenMinutesAfterEachStart() {
        let horizon = Horizon(duration: .minutes(5), isRolling: true)
        #expect(Self.beliefTimes(horizon: horizon, prior: nil) == [.may1(13, 10), .may1(13, 25), .may1(13, 40)])
    }

    static let priorAndHorizonCases: [(Instant, [Instant])] = [
        // (prior, rolling horizon PT6H, expected per event)
        (Instant.may1(7, 45), [Instant.may1(7, 15), .may1(7, 30), .may1(7, 45)]),
        (.may1(7, 20), [.may1(7, 15), .may1(7, 20), .may1(7, 20)]),
        (.may1(6, 0), [.may1(6, 0), .may1(6, 0), .may1(6, 0)]),
        (.may1(12, 0), [.may1(7, 15), .may1(7, 30), .may1(7, 45)]),
    ]

    @Test(arguments: priorAndHorizonCases)
    func withHorizonAndPriorTheEarlierTimeWins(prior: Instant, expected: [Instant]) {
        let horizon = Horizon(duration: .hours(6), isRolling: true)
        #expect(Self.beliefTimes(horizon: horizon, prior: prior) == expected)
    }

    @Test func withFixedHorizonAndPriorTheEarlierTimeWins() {
        let horizon = Horizon(duration: .hours(6), isRolling: false)
        #expect(Self.beliefTimes(horizon: horizon, prior: .may1(7, 0)) == [.may1(7, 0), .may1(7, 0), .may1(7, 0)])
        #expect(Self.beliefTimes(horizon: horizon, prior: .may1(8, 0)) == [.may1(7, 45), .may1(7, 45), .may1(7, 45)])
    }

    @Test func withNeitherTheArrivalTimeIsUsed() {
        #expect(Self.beliefTimes(horizon: nil, prior: nil) == [Self.arrival, Self.arrival, Self.arrival])
    }

    @Test func parsedReferenceMessageGivesTheDocumentedTimes() throws {
        let series = try Timeseries.fromShorthand(
            start: try Instant.parseISO8601("2016-05-01T13:00:00Z"),
            duration: try Timespan.parseISO8601("PT45M"), values: [10, 5, 8]
        )
        let rolling = try Horizon.parse("R/PT6H")
        let times = series.events.map {
            BeliefTiming.beliefTime(
                eventStart: $0.start, eventResolution: series.resolution, periodEnd: series.end, horizon: rolling,
                prior: nil, arrival: Self.arrival
            ).iso8601
        }
        #expect(times == ["2016-05-01T07:15:00Z", "2016-05-01T07:30:00Z", "2016-05-01T07:45:00Z"])
    }
}
