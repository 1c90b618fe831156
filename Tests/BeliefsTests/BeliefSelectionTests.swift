import Beliefs
import Testing
import TestSupport

@Suite struct BeliefSelectionTests {
    static let resolution = Timespan.minutes(15)

    static func belief(
        _ start: Instant, madeAt beliefTime: Instant, source: SourceID = 1, probability: Double = 0.5,
        value: Double = 0
    ) -> Belief {
        Belief(
            sensorID: 1, eventStart: start, beliefTime: beliefTime, sourceID: source,
            cumulativeProbability: probability, value: value
        )
    }

    static func select(
        _ beliefs: [Belief], filter: BeliefFilter = .all, sourceRank: (SourceID) -> Int = { _ in 0 }
    ) -> [Belief] {
        BeliefSelection.mostRecent(beliefs, eventResolution: resolution, filter: filter, sourceRank: sourceRank)
    }

    // MARK: Filters

    @Test func horizonFilterKeepsBeliefsMadeLongEnoughBefore() {
        // Event 13:00-13:15; a PT6H horizon needs a belief time at or before 07:15.
        let onTheBoundary = Self.belief(.may1(13, 0), madeAt: .may1(7, 15), value: 1)
        let tooLate = Self.belief(.may1(13, 0), madeAt: .may1(7, 15) + .microseconds(1), value: 2)
        let early = Self.belief(.may1(13, 0), madeAt: .may1(6, 0), value: 3)
        let selected = Self.select([early, tooLate, onTheBoundary], filter: BeliefFilter(horizon: .hours(6)))
        #expect(selected == [onTheBoundary])
    }

    @Test func negativeHorizonFilterKeepsMeasurementsMadeSoonEnoughAfter() {
        // -PT1H keeps beliefs recorded at most an hour after the event's end (13:15).
        let withinAnHour = Self.belief(.may1(13, 0), madeAt: .may1(14, 15), value: 1)
        let later = Self.belief(.may1(13, 0), madeAt: .may1(14, 15, 1), value: 2)
        #expect(Self.select([withinAnHour, later], filter: BeliefFilter(horizon: -.hours(1))) == [withinAnHour])
    }

    @Test func priorFilterKeepsOnlyBeliefsStrictlyBefore() {
        let justBefore = Self.belief(.may1(13, 0), madeAt: .may1(6, 59, 59), value: 1)
        let atPrior = Self.belief(.may1(13, 0), madeAt: .may1(7, 0), value: 2)
        let after = Self.belief(.may1(13, 0), madeAt: .may1(8, 0), value: 3)
        #expect(Self.select([justBefore, atPrior, after], filter: BeliefFilter(prior: .may1(7, 0))) == [justBefore])
        #expect(Self.select([atPrior, after], filter: BeliefFilter(prior: .may1(7, 0))).isEmpty)
    }

    @Test func sourceFilterKeepsOnlyTheNamedSources() {
        let mine = Self.belief(.may1(13, 0), madeAt: .may1(7, 0), source: 1, value: 1)
        let theirs = Self.belief(.may1(13, 0), madeAt: .may1(8, 0), source: 2, value: 2)
        let other = Self.belief(.may1(13, 0), madeAt: .may1(9, 0), source: 3, value: 3)
        #expect(Self.select([mine, theirs, other], filter: BeliefFilter(sources: [1])) == [mine])
        #expect(Self.select([mine, theirs, other], filter: BeliefFilter(sources: [1, 2])) == [theirs])
        #expect(Self.select([mine, theirs, other], filter: BeliefFilter(sources: [])).isEmpty)
        #expect(Self.select([mine, theirs, other], filter: BeliefFilter(sources: nil)) == [other])
    }

    @Test func filtersCombine() {
        let filter = BeliefFilter(horizon: .hours(6), prior: .may1(7, 0), sources: [2])
        let passes = Self.belief(.may1(13, 0), madeAt: .may1(6, 0), source: 2, value: 1)
        let wrongSource = Self.belief(.may1(13, 0), madeAt: .may1(6, 30), source: 1, value: 2)
        let afterPrior = Self.belief(.may1(13, 30), madeAt: .may1(7, 10), source: 2, value: 3)
        let tooShortAHorizon = Self.belief(.may1(12, 30), madeAt: .may1(6, 50), source: 2, value: 4)
        let selected = Self.select([passes, wrongSource, afterPrior, tooShortAHorizon].reversed(), filter: filter)
        #expect(selected == [passes])
    }

    static let boundaryFilters: [(BeliefFilter, Bool)] = [
        (BeliefFilter.all, true),
        (BeliefFilter(horizon: .hours(6)), true),
        (BeliefFilter(horizon: .hours(6) + .microseconds(1)), false),
        (BeliefFilter(prior: .may1(7, 15) + .microseconds(1)), true),
        (BeliefFilter(prior: .may1(7, 15)), false),
        (BeliefFilter(sources: [4]), true),
        (BeliefFilter(sources: [5]), false),
    ]

    @Test(arguments: boundaryFilters)
    func filterAdmitsExactlyAtItsBoundaries(filter: BeliefFilter, expected: Bool) {
        let belief = Self.belief(.may1(13, 0), madeAt: .may1(7, 15), source: 4)
        #expect(filter.admits(belief, eventResolution: Self.resolution) == expected)
    }

    // MARK: One belief per event

    @Test func mostRecentBeliefWinsPerEvent() {
        let old = Self.belief(.may1(13, 0), madeAt: .may1(7, 0), value: 1)
        let newest = Self.belief(.may1(13, 0), madeAt: .may1(9, 0), value: 2)
        let middle = Self.belief(.may1(13, 0), madeAt: .may1(8, 0), value: 3)
        #expect(Self.select([old, newest, middle]) == [newest])
    }

    @Test func resultHasOneBeliefPerEventSortedByEventStart() {
        let beliefs = [
            Self.belief(.may1(13, 30), madeAt: .may1(7, 0), value: 1),
            Self.belief(.may1(13, 0), madeAt: .may1(7, 0), value: 2),
            Self.belief(.may1(13, 15), madeAt: .may1(7, 0), value: 3),
            Self.belief(.may1(13, 0), madeAt: .may1(8, 0), value: 4),
        ]
        let selected = Self.select(beliefs)
        #expect(selected.map(\.eventStart) == [.may1(13, 0), .may1(13, 15), .may1(13, 30)])
        #expect(selected.map(\.value) == [4, 3, 1])
    }

    @Test func lowerSourceRankWinsOverMoreRecentBeliefs() {
        // getPrognosis: user (0) before scheduler (1) before forecaster (2), whatever their belief times.
        let ranks: [SourceID: Int] = [10: 0, 20: 1, 30: 2]
        let user = Self.belief(.may1(13, 0), madeAt: .may1(6, 0), source: 10, value: 1)
        let schedule = Self.belief(.may1(13, 0), madeAt: .may1(7, 0), source: 20, value: 2)
        let forecast = Self.belief(.may1(13, 0), madeAt: .may1(8, 0), source: 30, value: 3)
        #expect(Self.select([forecast, schedule, user], sourceRank: { ranks[$0]! }) == [user])
        #expect(Self.select([forecast, schedule], sourceRank: { ranks[$0]! }) == [schedule])
        #expect(Self.select([forecast, schedule, user]) == [forecast])
    }

    @Test func rankIsAppliedPerEventAfterFiltering() {
        let ranks: [SourceID: Int] = [10: 0, 30: 2]
        let userTooLate = Self.belief(.may1(13, 0), madeAt: .may1(12, 0), source: 10, value: 1)
        let forecast = Self.belief(.may1(13, 0), madeAt: .may1(6, 0), source: 30, value: 2)
        let user = Self.belief(.may1(13, 15), madeAt: .may1(6, 0), source: 10, value: 3)
        let selected = Self.select(
            [userTooLate, forecast, user], filter: BeliefFilter(horizon: .hours(6)), sourceRank: { ranks[$0]! }
        )
        #expect(selected == [forecast, user])
    }

    @Test func sameRankFallsBackToTheMostRecent() {
        let early = Self.belief(.may1(13, 0), madeAt: .may1(6, 0), source: 10, value: 1)
        let late = Self.belief(.may1(13, 0), madeAt: .may1(7, 0), source: 11, value: 2)
        #expect(Self.select([late, early], sourceRank: { _ in 3 }) == [late])
    }

    static let probabilityTies: [([Double], Double)] = [
        ([0.5, 0.9], 0.5),
        ([0.9, 0.5], 0.5),
        ([0.1, 0.3, 0.95], 0.3),
        ([0.05, 0.7], 0.7),
        ([0.4, 0.6], 0.4),
        ([0.6, 0.4], 0.4),
    ]

    @Test(arguments: probabilityTies)
    func simultaneousBeliefsPreferTheProbabilityClosestToTheMedian(probabilities: [Double], expected: Double) {
        let beliefs = probabilities.map { Self.belief(.may1(13, 0), madeAt: .may1(7, 0), probability: $0, value: $0) }
        #expect(Self.select(beliefs).map(\.cumulativeProbability) == [expected])
    }

    @Test func fullTiesGoToTheLowestSourceID() {
        let five = Self.belief(.may1(13, 0), madeAt: .may1(7, 0), source: 5, value: 1)
        let three = Self.belief(.may1(13, 0), madeAt: .may1(7, 0), source: 3, value: 2)
        let nine = Self.belief(.may1(13, 0), madeAt: .may1(7, 0), source: 9, value: 3)
        #expect(Self.select([five, three, nine]) == [three])
        #expect(Self.select([nine, five, three]) == [three])
    }

    @Test func answerDoesNotDependOnInputOrder() {
        var beliefs: [Belief] = []
        for minute: Int64 in stride(from: 0, to: 60, by: 15) {
            for hour: Int64 in 5...9 {
                for source: SourceID in 1...3 {
                    beliefs.append(
                        Self.belief(
                            .may1(13, minute), madeAt: .may1(hour, 0), source: source,
                            probability: Double(source) / 4, value: Double(hour * 100 + source)
                        )
                    )
                }
            }
        }
        let expected = Self.select(beliefs)
        #expect(expected.count == 4)
        #expect(expected.allSatisfy { $0.beliefTime == .may1(9, 0) && $0.sourceID == 2 })
        #expect(Self.select(beliefs.reversed()) == expected)
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<10 {
            #expect(Self.select(beliefs.shuffled(using: &generator)) == expected)
        }
    }

    @Test func sortedInputSelectsTheSameInOneLinearPass() {
        var beliefs: [Belief] = []
        var generator = SeededGenerator(seed: 7)
        for slot: Int64 in 0..<48 {
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                beliefs.append(Self.belief(
                    .may1(0, 0) + .minutes(15 * slot), madeAt: .may1(0, 0) + .minutes(Int64.random(in: -600...600, using: &generator)),
                    source: SourceID.random(in: 1...3, using: &generator), probability: [0.1, 0.5, 0.9].randomElement(using: &generator)!,
                    value: Double(slot)
                ))
            }
        }
        let filters = [BeliefFilter.all, BeliefFilter(horizon: .zero), BeliefFilter(prior: .may1(3, 0)), BeliefFilter(sources: [1, 3])]
        for filter in filters {
            let rank: (SourceID) -> Int = { $0 == 3 ? 0 : 1 }
            let expected = BeliefSelection.mostRecent(beliefs.shuffled(using: &generator), eventResolution: Self.resolution, filter: filter, sourceRank: rank)
            let linear = BeliefSelection.mostRecent(sortedByEventStart: beliefs, eventResolution: Self.resolution, filter: filter, sourceRank: rank)
            #expect(linear == expected)
            let unsorted = BeliefSelection.mostRecent(sortedByEventStart: beliefs.reversed(), eventResolution: Self.resolution, filter: filter, sourceRank: rank)
            #expect(unsorted == expected, "out-of-order input falls back to the general selection")
        }
    }

    @Test func emptyInputSelectsNothing() {
        #expect(Self.select([]).isEmpty)
        #expect(BeliefSelection.mostRecent(EmptyCollection<Belief>(), eventResolution: .zero, filter: .all).isEmpty)
    }

    @Test func acceptsAnySequenceOfBeliefs() {
        let beliefs = Set([
            Self.belief(.may1(13, 15), madeAt: .may1(7, 0), value: 1),
            Self.belief(.may1(13, 0), madeAt: .may1(7, 0), value: 2),
        ])
        let selected = BeliefSelection.mostRecent(beliefs, eventResolution: Self.resolution, filter: .all)
        #expect(selected.map(\.value) == [2, 1])
    }

    // MARK: Windows

    @Test func windowIncludesItsStartAndExcludesItsEnd() {
        let beliefs = [Instant.may1(12, 45), .may1(13, 0), .may1(13, 15), .may1(13, 30), .may1(13, 45)].map {
            Self.belief($0, madeAt: .may1(7, 0))
        }
        let inside = BeliefSelection.window(beliefs, start: .may1(13, 0), end: .may1(13, 45))
        #expect(inside.map(\.eventStart) == [.may1(13, 0), .may1(13, 15), .may1(13, 30)])
        #expect(BeliefSelection.window(beliefs, start: .may1(13, 0), end: .may1(13, 0)).isEmpty)
    }
}
