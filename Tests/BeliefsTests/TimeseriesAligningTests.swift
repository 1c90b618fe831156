import Beliefs
import Testing

@Suite struct TimeseriesAligningTests {
    static func belief(_ start: Instant, _ value: Double) -> Belief {
        Belief(sensorID: 1, eventStart: start, beliefTime: .may1(7, 0), sourceID: 1, value: value)
    }

    @Test func slotsWithoutABeliefAreGaps() {
        let series = Timeseries.aligning(
            [Self.belief(.may1(13, 30), 3), Self.belief(.may1(13, 0), 1)], start: .may1(13, 0), end: .may1(14, 0),
            resolution: .minutes(15)
        )
        #expect(series == Timeseries(start: .may1(13, 0), resolution: .minutes(15), values: [1, nil, 3, nil]))
    }

    @Test func beliefsOutsideTheWindowOrOffTheGridAreLeftOut() {
        let beliefs = [
            Self.belief(.may1(12, 45), 0), Self.belief(.may1(13, 0), 1), Self.belief(.may1(13, 5), 99),
            Self.belief(.may1(13, 45), 4), Self.belief(.may1(14, 0), 5),
        ]
        let series = Timeseries.aligning(beliefs, start: .may1(13, 0), end: .may1(14, 0), resolution: .minutes(15))
        #expect(series.values == [1, nil, nil, 4])
    }

    @Test func windowThatIsNotAWholeNumberOfStepsGetsAPartialLastSlot() {
        let series = Timeseries.aligning(
            [Self.belief(.may1(13, 30), 3)], start: .may1(13, 0), end: .may1(13, 40), resolution: .minutes(15)
        )
        #expect(series.values == [nil, nil, 3])
    }

    @Test func laterBeliefForTheSameSlotWins() {
        let series = Timeseries.aligning(
            [Self.belief(.may1(13, 0), 1), Self.belief(.may1(13, 0), 2)], start: .may1(13, 0), end: .may1(13, 15),
            resolution: .minutes(15)
        )
        #expect(series.values == [2])
    }

    static let degenerateWindows: [(Instant, Instant, Timespan)] = [
        (Instant.may1(13, 0), Instant.may1(14, 0), Timespan.zero),
        (.may1(13, 0), .may1(14, 0), -.minutes(15)),
        (.may1(14, 0), .may1(13, 0), .minutes(15)),
        (.may1(13, 0), .may1(13, 0), .minutes(15)),
    ]

    @Test(arguments: degenerateWindows)
    func degenerateWindowsHaveNoSlots(start: Instant, end: Instant, resolution: Timespan) {
        let series = Timeseries.aligning([Self.belief(.may1(13, 0), 1)], start: start, end: end, resolution: resolution)
        #expect(series.values.isEmpty)
        #expect(series.start == start)
    }

    @Test func selectedBeliefsAlignIntoADownsampleableSeries() throws {
        let beliefs = (0..<8).map { Self.belief(.may1(13, 0) + .minutes(15) * Int64($0), Double($0)) }
        let selected = BeliefSelection.mostRecent(beliefs, eventResolution: .minutes(15), filter: .all)
        let series = Timeseries.aligning(selected, start: .may1(13, 0), end: .may1(15, 0), resolution: .minutes(15))
        #expect(try series.downsampled(to: .hours(1)).values == [1.5, 5.5])
    }
}
