import Beliefs
import Testing

@Suite struct TimespanParsingTests {
    static let validDurations: [(String, Timespan)] = [
        ("PT15M", Timespan.minutes(15)),
        ("PT1H30M", .minutes(90)),
        ("PT90M", .minutes(90)),
        ("PT1H", .hours(1)),
        ("PT3600S", .hours(1)),
        ("PT36H", .hours(36)),
        ("P1D", .days(1)),
        ("P1DT2H", .days(1) + .hours(2)),
        ("P1DT1H1M1S", .days(1) + .hours(1) + .minutes(1) + .seconds(1)),
        ("P1W", .days(7)),
        ("P2W", .days(14)),
        ("-PT10M", -.minutes(10)),
        ("+PT10M", .minutes(10)),
        ("-P1DT2H", -(.days(1) + .hours(2))),
        ("PT0S", .zero),
        ("-PT0S", .zero),
        ("P0D", .zero),
        ("PT0M", .zero),
        ("PT0.5S", .microseconds(500_000)),
        ("PT0,5S", .microseconds(500_000)),
        ("PT0.5H", .minutes(30)),
        ("PT1.5M", .seconds(90)),
        ("P1.5D", .hours(36)),
        ("P0.5W", .hours(84)),
        ("PT1H0.5M", .hours(1) + .seconds(30)),
        ("PT0.000001S", .microseconds(1)),
        ("PT0.0000009S", .zero),
        ("PT1.123456789S", .microseconds(1_123_456)),
        ("PT0.333333333H", .microseconds(1_199_999_998)),
        ("P3652500D", .days(3_652_500)),
        ("-P3652500D", .days(-3_652_500)),
        ("P521785W", .days(3_652_495)),
    ]

    @Test(arguments: validDurations)
    func acceptsFixedLengthDurations(text: String, expected: Timespan) throws {
        #expect(try Timespan.parseISO8601(text) == expected)
    }

    @Test(arguments: [
        "", "P", "PT", "-P", "-PT", "-", "+", "T", "1H",
        "P1H", "PT1D", "P1DT", "P1S", "PT1W",
        "PT1H1H", "PT1M1H", "PT1S1M", "P1D1D", "P1DT1H1H",
        "P1W1D", "P1WT1H", "P1W1W", "P1DT1W",
        "PT0.5H1M", "P0.5DT1H", "PT.5S", "PT0.S", "PT0..5S", "PT1.1234567890S",
        "pt15m", "PT15m", "p1d", "PT15", "15M", "T15M", "PT-5M", "--PT5M", "+-PT5M", "-+PT5M",
        "PT 15M", " PT15M", "PT15M ", "PT15MX", "PT15M,", "P1DTT1H", "garbage",
        "PT99999999999999999999S", "R/PT6H", "PT1H30", "P１D",
    ])
    func rejectsMalformedDurations(text: String) {
        #expect(throws: TimeParseError.malformedDuration(text)) {
            try Timespan.parseISO8601(text)
        }
    }

    @Test(arguments: [
        "P3652500DT0.000001S", "-P3652501D", "P106751991D", "P106751992D", "-P106751991D", "PT9223372036854S",
        "P106751991DT4H0M54.775807S", "-P106751991DT4H0M54.775808S", "P100000000D", "P18446744073709551615D",
        "PT18446744073709551615H", "P999999999999W",
    ])
    func refusesDurationsLongerThanTenThousandYears(text: String) {
        #expect(throws: TimeParseError.durationOutOfRange(text)) {
            try Timespan.parseISO8601(text)
        }
    }

    @Test func refusesHorizonsLongerThanTenThousandYearsAsOutOfRange() {
        #expect(throws: TimeParseError.durationOutOfRange("R/-P106751991D")) { try Horizon.parse("R/-P106751991D") }
        #expect(throws: TimeParseError.durationOutOfRange("-P106751991D")) { try Horizon.parse("-P106751991D") }
    }

    @Test(arguments: ["P1Y", "P1M", "P2Y6M", "P1Y2M3DT4H", "-P1M", "+P1Y", "P1MT1H", "P0Y", "P1.5Y", "P0M1D"])
    func rejectsYearsAndMonthsAsAmbiguous(text: String) {
        #expect(throws: TimeParseError.ambiguousDuration(text)) {
            try Timespan.parseISO8601(text)
        }
    }

    static let canonicalSpellings: [(Timespan, String)] = [
        (Timespan.minutes(15), "PT15M"),
        (.minutes(90), "PT1H30M"),
        (.hours(1), "PT1H"),
        (.days(1), "P1D"),
        (.days(1) + .hours(2), "P1DT2H"),
        (.days(7), "P7D"),
        (.hours(36), "P1DT12H"),
        (-.minutes(10), "-PT10M"),
        (.zero, "PT0S"),
        (.microseconds(500_000), "PT0.5S"),
        (.microseconds(1), "PT0.000001S"),
        (.microseconds(1_250_000), "PT1.25S"),
        (.hours(1) + .seconds(1), "PT1H1S"),
        (.days(2) + .minutes(1), "P2DT1M"),
        (-(.days(1) + .microseconds(1)), "-P1DT0.000001S"),
        (Timespan(microseconds: .max), "P106751991DT4H54.775807S"),
        (Timespan(microseconds: .min), "-P106751991DT4H54.775808S"),
    ]

    @Test(arguments: canonicalSpellings)
    func writesTheCanonicalSpelling(span: Timespan, expected: String) {
        #expect(span.iso8601 == expected)
    }

    static let roundTripSpans: [Timespan] = [
        Timespan.zero, .microseconds(1), .microseconds(-1), .minutes(15), -.minutes(10), .days(1) + .hours(2),
        .hours(36) + .microseconds(123_456), .days(10_000), Timespan.longestParsed, -Timespan.longestParsed,
    ]

    @Test(arguments: roundTripSpans)
    func spellingParsesBackToTheSameSpan(span: Timespan) throws {
        #expect(try Timespan.parseISO8601(span.iso8601) == span)
    }

    @Test(arguments: ["PT15M", "PT1H30M", "P1D", "P1DT2H", "-PT10M", "PT0S", "PT0.5S", "P3DT4H5M6.07S"])
    func canonicalTextSurvivesARoundTrip(text: String) throws {
        #expect(try Timespan.parseISO8601(text).iso8601 == text)
    }
}
