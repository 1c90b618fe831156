import Beliefs
import Testing

@Suite struct TimespanTests {
    @Test func factoriesCountExactMicroseconds() {
        #expect(Timespan.seconds(1).microseconds == 1_000_000)
        #expect(Timespan.minutes(1).microseconds == 60_000_000)
        #expect(Timespan.hours(1).microseconds == 3_600_000_000)
        #expect(Timespan.days(1).microseconds == 86_400_000_000)
        #expect(Timespan.days(1) == .hours(24))
        #expect(Timespan.seconds(90) == .minutes(1) + .seconds(30))
        #expect(Timespan.zero.microseconds == 0)
    }

    @Test func arithmeticIsExact() {
        #expect(Timespan.hours(1) - .minutes(15) == .minutes(45))
        #expect(Timespan.minutes(15) * 4 == .hours(1))
        #expect(4 * Timespan.minutes(15) == .hours(1))
        #expect(-Timespan.minutes(10) == Timespan(microseconds: -600_000_000))
        #expect(-(-Timespan.minutes(10)) == .minutes(10))
        #expect(Timespan.minutes(10) * -1 == -Timespan.minutes(10))
    }

    @Test func negativeSpansPointBackInTime() {
        #expect((-Timespan.minutes(10)).isNegative)
        #expect(!Timespan.zero.isNegative)
        #expect(!Timespan.minutes(10).isNegative)
    }

    @Test func spansOrderByLength() {
        #expect(-Timespan.hours(1) < .zero)
        #expect(Timespan.minutes(59) < .hours(1))
        let shuffled: [Timespan] = [.days(1), .zero, -.minutes(10), .minutes(15)]
        #expect(shuffled.sorted() == [-.minutes(10), .zero, .minutes(15), .days(1)])
    }

    static let multipleCases: [(Timespan, Timespan, Bool)] = [
        (Timespan.hours(1), Timespan.minutes(15), true),
        (.hours(1), .minutes(20), true),
        (.hours(1), .hours(1), true),
        (.days(1), .minutes(15), true),
        (.zero, .minutes(15), true),
        (-Timespan.hours(1), .minutes(15), true),
        (.hours(1), .minutes(25), false),
        (.minutes(15), .hours(1), false),
        (.minutes(15) + .microseconds(1), .minutes(15), false),
        (.hours(1), .zero, false),
        (.hours(1), -.minutes(15), false),
        (Timespan(microseconds: .min), .microseconds(1), true),
    ]

    @Test(arguments: multipleCases)
    func wholeMultipleNeedsAPositiveDivisorThatFitsExactly(span: Timespan, other: Timespan, expected: Bool) {
        #expect(span.isWholeMultiple(of: other) == expected)
    }

    @Test func descriptionIsTheISO8601Spelling() {
        #expect(Timespan.minutes(90).description == "PT1H30M")
        #expect("\(-Timespan.minutes(10))" == "-PT10M")
    }
}
