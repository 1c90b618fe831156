import Beliefs
import Testing

@Suite struct TimeParseErrorTests {
    @Test func missingTimezoneTellsHowToAddOne() {
        #expect(
            TimeParseError.missingTimezone("2016-05-01T12:45:00").description
                == "'2016-05-01T12:45:00' has no timezone offset; add Z or +HH:MM (e.g. 2016-05-01T12:45:00Z)"
        )
    }

    static let describedErrors: [(TimeParseError, String)] = [
        (TimeParseError.malformedDatetime("2016-02-30T00:00:00Z"), "YYYY-MM-DDTHH:MM"),
        (.malformedDuration("PT"), "PnDTnHnMnS"),
        (.ambiguousDuration("P1M"), "no fixed length"),
        (.malformedHorizon("R/"), "R/PT6H"),
    ]

    @Test(arguments: describedErrors)
    func descriptionQuotesTheTextAndShowsTheExpectedForm(error: TimeParseError, hint: String) {
        #expect(error.description.hasPrefix("'\(error.text)' "))
        #expect(error.description.contains(hint))
    }

    @Test func eachCaseHasItsOwnMessage() {
        let errors: [TimeParseError] = [
            .missingTimezone("x"), .malformedDatetime("x"), .malformedDuration("x"), .ambiguousDuration("x"),
            .malformedHorizon("x"),
        ]
        #expect(Set(errors.map(\.description)).count == errors.count)
        #expect(errors.allSatisfy { $0.text == "x" })
    }

    @Test func casesWithTheSameTextAreStillDistinct() {
        #expect(TimeParseError.malformedDuration("P1M") != .ambiguousDuration("P1M"))
        #expect(TimeParseError.malformedDuration("PT") == .malformedDuration("PT"))
    }
}
