import Beliefs
import Testing

@Suite struct TimeseriesShorthandTests {
    @Test func threeValuesOverFortyFiveMinutesAreQuarterHours() throws {
        let series = try Timeseries.fromShorthand(start: .may1(13, 0), duration: .minutes(45), values: [10, 5, 8])
        #expect(series.resolution == .minutes(15))
        #expect(series.start == .may1(13, 0))
        #expect(series.end == .may1(13, 45))
        #expect(series.values == [10, 5, 8])
        #expect(
            series.events == [
                .init(start: .may1(13, 0), value: 10), .init(start: .may1(13, 15), value: 5),
                .init(start: .may1(13, 30), value: 8),
            ]
        )
    }

    static let evenSplits: [(Timespan, Int, Timespan)] = [
        (Timespan.hours(1), 4, Timespan.minutes(15)),
        (.hours(1), 3, .minutes(20)),
        (.hours(1), 1, .hours(1)),
        (.minutes(90), 6, .minutes(15)),
        (.days(1), 96, .minutes(15)),
        (.seconds(1), 1_000_000, .microseconds(1)),
    ]

    @Test(arguments: evenSplits)
    func resolutionIsTheDurationSharedEqually(duration: Timespan, count: Int, expected: Timespan) throws {
        let series = try Timeseries.fromShorthand(
            start: .may1(0, 0), duration: duration, values: Array(repeating: 1, count: count)
        )
        #expect(series.resolution == expected)
        #expect(series.end == .may1(0, 0) + duration)
    }

    static let unevenSplits: [(Timespan, Int)] = [
        (Timespan.hours(1), 7), (.seconds(1), 3), (.microseconds(1), 2), (.minutes(45), 7),
    ]

    @Test(arguments: unevenSplits)
    func durationThatDoesNotSplitEvenlyIsRejected(duration: Timespan, count: Int) {
        #expect(throws: ResampleError.durationNotDivisible(duration: duration, count: count)) {
            try Timeseries.fromShorthand(
                start: .may1(0, 0), duration: duration, values: Array(repeating: 0, count: count)
            )
        }
    }

    @Test func emptyValuesAreRejected() {
        #expect(throws: ResampleError.emptyValues) {
            try Timeseries.fromShorthand(start: .may1(13, 0), duration: .minutes(45), values: [])
        }
        #expect(throws: ResampleError.emptyValues) {
            try Timeseries.fromShorthand(start: .may1(13, 0), duration: .zero, values: [])
        }
    }

    @Test(arguments: [Timespan.zero, -.minutes(45), .microseconds(-1)])
    func nonPositiveDurationIsRejected(duration: Timespan) {
        #expect(throws: ResampleError.nonPositiveDuration(duration)) {
            try Timeseries.fromShorthand(start: .may1(13, 0), duration: duration, values: [1, 2, 3])
        }
    }

    static let describedErrors: [(ResampleError, [String])] = [
        (ResampleError.durationNotDivisible(duration: .hours(1), count: 7), ["PT1H", "7"]),
        (.notAMultiple(from: .minutes(15), to: .minutes(20)), ["PT15M", "PT20M", "PT1H"]),
        (.notAMultiple(from: .hours(1), to: .minutes(25)), ["PT1H", "PT25M"]),
        (.nonPositiveDuration(-.minutes(45)), ["-PT45M", "positive"]),
        (.nonPositiveResolution, ["positive", "PT15M"]),
        (.emptyValues, ["at least one value"]),
    ]

    @Test(arguments: describedErrors)
    func errorDescriptionsNameTheProblem(error: ResampleError, fragments: [String]) {
        for fragment in fragments {
            #expect(error.description.contains(fragment))
        }
    }
}
