import Beliefs
import Testing

@Suite struct InstantParsingTests {
    /// 2016-05-01T12:45:00Z in microseconds.
    static let reference: Int64 = 1_462_106_700_000_000

    static let validDatetimes: [(String, Int64)] = [
        ("2016-05-01T12:45:00Z", reference),
        ("2016-05-01T12:45:00z", reference),
        ("2016-05-01t12:45:00Z", reference),
        ("2016-05-01 12:45:00Z", reference),
        ("2016-05-01T12:45Z", reference),
        ("2016-05-01T14:45:00+02:00", reference),
        ("2016-05-01T14:45:00+0200", reference),
        ("2016-05-01T14:45:00+02", reference),
        ("2016-05-01T14:45+02:00", reference),
        ("2016-05-01T10:45:00-02:00", reference),
        ("2016-05-01T12:45:00+00:00", reference),
        ("2016-05-01T12:45:00-00:00", reference),
        ("2016-05-01T18:15:00+05:30", reference),
        ("2016-05-01T03:15:00-09:30", reference),
        ("2016-05-02T12:44:00+23:59", reference),
        ("2016-04-30T12:46:00-23:59", reference),
        ("2016-05-01T12:45:00.5Z", reference + 500_000),
        ("2016-05-01T12:45:00,25Z", reference + 250_000),
        ("2016-05-01T12:45:00.123456Z", reference + 123_456),
        ("2016-05-01T12:45:00.123456789Z", reference + 123_456),
        ("2016-05-01T12:45:00.000001Z", reference + 1),
        ("2016-05-01T12:45:00.0000009Z", reference),
        ("2016-05-01T14:45:00.5+02:00", reference + 500_000),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59Z", -1_000_000),
        ("1969-12-31T23:59:59.5Z", -500_000),
        ("1970-01-01T01:00:00+01:00", 0),
        ("2000-02-29T00:00:00Z", 951_782_400_000_000),
        ("2024-02-29T23:59:59Z", 1_709_251_199_000_000),
        ("1900-03-01T00:00:00Z", -2_203_891_200_000_000),
        ("0001-01-01T00:00:00Z", -62_135_596_800_000_000),
        ("9999-12-31T23:59:59Z", 253_402_300_799_000_000),
    ]

    @Test(arguments: validDatetimes)
    func acceptsOffsetAwareDatetimes(text: String, microseconds: Int64) throws {
        #expect(try Instant.parseISO8601(text) == Instant(microsecondsSinceEpoch: microseconds))
    }

    @Test(arguments: [
        "2016-05-01T12:45:00",
        "2016-05-01T12:45",
        "2016-05-01 12:45:00",
        "2016-05-01T12:45:00.5",
        "2000-02-29T00:00:00",
    ])
    func rejectsNaiveDatetimesAsMissingTimezone(text: String) {
        #expect(throws: TimeParseError.missingTimezone(text)) {
            try Instant.parseISO8601(text)
        }
    }

    @Test(arguments: [
        // Calendar: months, days of month, leap years (1900 and 2100 are not, 2000 and 2024 are).
        "2016-13-01T00:00:00Z",
        "2016-00-01T00:00:00Z",
        "2016-05-00T00:00:00Z",
        "2016-05-32T00:00:00Z",
        "2016-04-31T00:00:00Z",
        "2016-02-30T00:00:00Z",
        "2024-02-30T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z",
        "0000-01-01T00:00:00Z",
        "10000-01-01T00:00:00Z",
        // Clock: no 24:00, no minute 60, no leap second.
        "2016-05-01T24:00:00Z",
        "2016-05-01T24:00Z",
        "2016-05-01T12:60:00Z",
        "2016-05-01T12:45:60Z",
        "2016-06-30T23:59:60Z",
        // Offsets.
        "2016-05-01T12:45:00+24:00",
        "2016-05-01T12:45:00-24:00",
        "2016-05-01T12:45:00+23:60",
        "2016-05-01T12:45:00+2:00",
        "2016-05-01T12:45:00+02:0",
        "2016-05-01T12:45:00+02:",
        "2016-05-01T12:45:00+020",
        "2016-05-01T12:45:00+02:00:00",
        "2016-05-01T12:45:00+02:00Z",
        "2016-05-01T12:45:00ZZ",
        "2016-05-01T12:45:00UTC",
        "2016-05-01T12:45:00 Z",
        // Shape.
        "",
        " ",
        "2016-05-01",
        "2016-05-01T",
        "2016-05-01TZ",
        "2016-05-01T12Z",
        "2016-05-01T12:45:Z",
        "16-05-01T12:45:00Z",
        "2016-5-01T12:45:00Z",
        "2016-05-1T12:45:00Z",
        "2016-05-01T1:45:00Z",
        "2016-05-01T12:4Z",
        "2016/05/01T12:45:00Z",
        "20160501T124500Z",
        "2016-05-01X12:45:00Z",
        "2016-05-01T12:45:00X",
        "-2016-05-01T12:45:00Z",
        "+2016-05-01T12:45:00Z",
        " 2016-05-01T12:45:00Z",
        "2016-05-01T12:45:00Z ",
        "2016-05-01T12:45:00Zgarbage",
        "２０１６-05-01T12:45:00Z",
        // Fractions: digits required, at most nine, one decimal sign, only after seconds.
        "2016-05-01T12:45:00.Z",
        "2016-05-01T12:45:00.1234567890Z",
        "2016-05-01T12:45:00.5.5Z",
        "2016-05-01T12:45.5Z",
        // Invalid fields in a naive datetime: the fields are wrong before the offset is missing.
        "2016-02-30T12:00",
        "2016-05-01T24:00:00",
    ])
    func rejectsMalformedDatetimes(text: String) {
        #expect(throws: TimeParseError.malformedDatetime(text)) {
            try Instant.parseISO8601(text)
        }
    }

    @Test func errorKeepsTheOriginalText() {
        let text = "2016-05-01T12:45:00"
        #expect {
            try Instant.parseISO8601(text)
        } throws: { error in
            (error as? TimeParseError)?.text == text
        }
    }
}
