import Beliefs
import Testing

@Suite struct BeliefTests {
    static func belief(start: Instant, beliefTime: Instant) -> Belief {
        Belief(sensorID: 1, eventStart: start, beliefTime: beliefTime, sourceID: 2, value: 10)
    }

    @Test func pointEstimateIsTheDefault() {
        #expect(Self.belief(start: .may1(13, 0), beliefTime: .may1(7, 0)).cumulativeProbability == 0.5)
    }

    static let horizonCases: [(Instant, Instant, Timespan, Timespan)] = [
        // (event start, belief time, resolution, horizon)
        (Instant.may1(13, 0), Instant.may1(7, 15), Timespan.minutes(15), Timespan.hours(6)),
        (.may1(13, 30), .may1(7, 45), .minutes(15), .hours(6)),
        (.may1(13, 0), .may1(13, 15), .minutes(15), .zero),
        (.may1(13, 0), .may1(13, 0), .minutes(15), .minutes(15)),
        (.may1(13, 0), .may1(13, 25), .minutes(15), -.minutes(10)),
        (.may1(13, 0), .may1(13, 0), .zero, .zero),
        (.may1(13, 0), .may1(12, 0), .hours(1), .hours(2)),
    ]

    @Test(arguments: horizonCases)
    func horizonRunsFromBeliefTimeToEventEnd(
        start: Instant, beliefTime: Instant, resolution: Timespan, expected: Timespan
    ) {
        #expect(Self.belief(start: start, beliefTime: beliefTime).horizon(eventResolution: resolution) == expected)
    }

    @Test func beliefsDifferingOnlyInProbabilityAreDistinct() {
        let median = Self.belief(start: .may1(13, 0), beliefTime: .may1(7, 0))
        var quantile = median
        quantile.cumulativeProbability = 0.9
        #expect(median != quantile)
        #expect(Set([median, quantile, median]).count == 2)
    }
}
