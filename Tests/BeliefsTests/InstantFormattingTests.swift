import Beliefs
import Testing

@Suite struct InstantFormattingTests {
    static let utcSpellings: [(Int64, String)] = [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (1_462_106_700_000_000, "2016-05-01T12:45:00Z"),
        (1_462_106_700_500_000, "2016-05-01T12:45:00.5Z"),
        (1_462_106_700_120_000, "2016-05-01T12:45:00.12Z"),
        (1_462_106_700_123_456, "2016-05-01T12:45:00.123456Z"),
        (1_462_106_700_000_001, "2016-05-01T12:45:00.000001Z"),
        (-1, "1969-12-31T23:59:59.999999Z"),
        (-1_000_000, "1969-12-31T23:59:59Z"),
        (951_782_400_000_000, "2000-02-29T00:00:00Z"),
        (1_709_251_199_000_000, "2024-02-29T23:59:59Z"),
        (-2_203_891_200_000_000, "1900-03-01T00:00:00Z"),
        (-62_135_596_800_000_000, "0001-01-01T00:00:00Z"),
        (253_402_300_799_000_000, "9999-12-31T23:59:59Z"),
        // Outside 0001-9999 only arithmetic can go; ISO 8601's expanded years keep the output truthful.
        (253_402_300_800_000_000, "+10000-01-01T00:00:00Z"),
        (-62_135_596_801_000_000, "0000-12-31T23:59:59Z"),
    ]

    @Test(arguments: utcSpellings)
    func writesUTCWithZAndFractionOnlyWhenNonZero(microseconds: Int64, expected: String) {
        #expect(Instant(microsecondsSinceEpoch: microseconds).iso8601 == expected)
    }

    static let offsetSpellings: [(Int, String)] = [
        (7200, "2016-05-01T14:45:00+02:00"),
        (-7200, "2016-05-01T10:45:00-02:00"),
        (0, "2016-05-01T12:45:00+00:00"),
        (19800, "2016-05-01T18:15:00+05:30"),
        (-34200, "2016-05-01T03:15:00-09:30"),
        (12 * 3600, "2016-05-02T00:45:00+12:00"),
        (-13 * 3600, "2016-04-30T23:45:00-13:00"),
        (1172, "2016-05-01T13:04:32+00:19:32"),
    ]

    @Test(arguments: offsetSpellings)
    func writesLocalTimeWithTheGivenOffset(offsetSeconds: Int, expected: String) {
        #expect(Instant.may1(12, 45).iso8601(offsetSeconds: offsetSeconds) == expected)
    }

    @Test func descriptionIsTheUTCSpelling() {
        #expect(Instant.may1(12, 45).description == "2016-05-01T12:45:00Z")
        #expect("\(Instant.may1(13, 0))" == "2016-05-01T13:00:00Z")
    }

    @Test(arguments: [
        Int64(0), 1, -1, 999_999, -999_999, 1_462_106_700_000_000, 1_462_106_700_123_456,
        951_782_400_000_000, -2_203_891_200_000_001, -62_135_596_800_000_000, 253_402_300_799_999_999,
    ])
    func utcSpellingParsesBackToTheSameInstant(microseconds: Int64) throws {
        let instant = Instant(microsecondsSinceEpoch: microseconds)
        #expect(try Instant.parseISO8601(instant.iso8601) == instant)
    }

    @Test(arguments: [0, 3600, -3600, 19800, -34200, 23 * 3600 + 59 * 60, -(23 * 3600 + 59 * 60)])
    func offsetSpellingParsesBackToTheSameInstant(offsetSeconds: Int) throws {
        let instant = Instant(microsecondsSinceEpoch: 1_462_106_700_250_000)
        #expect(try Instant.parseISO8601(instant.iso8601(offsetSeconds: offsetSeconds)) == instant)
    }

    /// Every day of years around the leap-year rules must format and parse back, one calendar day apart.
    @Test(arguments: [1, 4, 1600, 1899, 1900, 1969, 1970, 1999, 2000, 2023, 2024, 2100, 9999])
    func everyDayOfTheYearRoundTrips(year: Int) throws {
        var instant = try Instant.parseISO8601("\(Self.fourDigits(year))-01-01T00:00:00Z")
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        for _ in 0..<(isLeap ? 366 : 365) {
            #expect(try Instant.parseISO8601(instant.iso8601) == instant)
            #expect(instant.iso8601.hasPrefix(Self.fourDigits(year) + "-"))
            instant = instant + .days(1)
        }
        let nextYear = year == 9999 ? "+10000" : Self.fourDigits(year + 1)
        #expect(instant.iso8601 == nextYear + "-01-01T00:00:00Z")
    }

    private static func fourDigits(_ year: Int) -> String {
        let digits = String(year)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
