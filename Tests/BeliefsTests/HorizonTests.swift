import Beliefs
import Testing

@Suite struct HorizonTests {
    static let validHorizons: [(String, Timespan, Bool)] = [
        ("PT6H", Timespan.hours(6), false),
        ("-PT10M", -.minutes(10), false),
        ("+PT1H", .hours(1), false),
        ("P1D", .days(1), false),
        ("PT0S", .zero, false),
        ("R/PT6H", .hours(6), true),
        ("R5/PT6H", .hours(6), true),
        ("R12/PT15M", .minutes(15), true),
        ("R0/PT1H", .hours(1), true),
        ("R/-PT10M", -.minutes(10), true),
        ("R/P1DT2H", .days(1) + .hours(2), true),
    ]

    @Test(arguments: validHorizons)
    func readsFixedAndRollingHorizons(text: String, duration: Timespan, isRolling: Bool) throws {
        #expect(try Horizon.parse(text) == Horizon(duration: duration, isRolling: isRolling))
    }

    @Test(arguments: [
        "", "R", "R/", "R5/", "RPT6H", "R5PT6H", "r/PT6H", "R-1/PT6H", "R+1/PT6H", "R5.5/PT6H", "R /PT6H",
        "R//PT6H", "R/R/PT6H", "R/PT6H/", "R/PT6", "R/garbage", "R/2016-05-01T00:00:00Z/PT6H",
        "/PT6H", "PT6", "6H", "PT6H ", "garbage", "P1M", "R/P1Y", "2016-05-01T12:45:00Z",
    ])
    func rejectsAnythingElseAsMalformedHorizon(text: String) {
        #expect(throws: TimeParseError.malformedHorizon(text)) {
            try Horizon.parse(text)
        }
    }

    static let spellings: [(Horizon, String)] = [
        (Horizon(duration: .hours(6), isRolling: true), "R/PT6H"),
        (Horizon(duration: .hours(6), isRolling: false), "PT6H"),
        (Horizon(duration: -.minutes(10), isRolling: true), "R/-PT10M"),
    ]

    @Test(arguments: spellings)
    func spellingParsesBackToTheSameHorizon(horizon: Horizon, expected: String) throws {
        #expect(horizon.iso8601 == expected)
        #expect(try Horizon.parse(horizon.iso8601) == horizon)
    }
}
