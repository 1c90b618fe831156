// The accepted datetime form, a strict subset of ISO 8601 / RFC 3339:
//
//     YYYY-MM-DD ('T' | 't' | ' ') HH:MM [':' SS [('.' | ',') 1-9 digits]] offset
//     offset = 'Z' | 'z' | ('+' | '-') HH [[':'] MM]
//
// Years 0001-9999, real calendar days (leap years included), hours 00-23, minutes and seconds 00-59
// (no leap second, no 24:00), offsets up to ±23:59. Fractions beyond microseconds are truncated.
// Formatting writes 'T', whole seconds always, and a fraction only when it is non-zero, with trailing
// zeros trimmed ("2016-05-01T12:45:00.5Z"), so each instant has exactly one UTC spelling.

extension Instant {
    /// Reads an ISO 8601 datetime with a timezone offset; naive datetimes are refused, not guessed.
    public static func parseISO8601(_ text: String) throws(TimeParseError) -> Instant {
        switch text.withContiguousUTF8(DatetimeParser.parse) {
        case .instant(let instant): return instant
        case .naive: throw .missingTimezone(text)
        case .malformed: throw .malformedDatetime(text)
        }
    }

    /// The UTC spelling, e.g. "2016-05-01T12:45:00Z"; a fraction appears only when non-zero, trimmed.
    public var iso8601: String {
        format(offsetSeconds: 0, utcDesignator: true)
    }

    /// The spelling in a fixed offset east of UTC, e.g. "2016-05-01T14:45:00+02:00" for 7200.
    ///
    /// An offset with leftover seconds (historic local mean times) is written as +HH:MM:SS.
    public func iso8601(offsetSeconds: Int) -> String {
        format(offsetSeconds: offsetSeconds, utcDesignator: false)
    }

    private func format(offsetSeconds: Int, utcDesignator: Bool) -> String {
        let local = microsecondsSinceEpoch + Int64(offsetSeconds) * Timespan.microsecondsPerSecond
        let (days, microsOfDay) = local.flooredDivision(by: Timespan.microsecondsPerDay)
        let date = CivilCalendar.date(daysSinceEpoch: days)
        let secondsOfDay = microsOfDay / Timespan.microsecondsPerSecond
        let fraction = microsOfDay % Timespan.microsecondsPerSecond

        var out: [UInt8] = []
        out.reserveCapacity(32)
        // Years outside 0001-9999 only arise from arithmetic; ISO 8601's expanded form keeps them honest.
        if date.year < 0 {
            out.append(UInt8(ascii: "-"))
        } else if date.year > 9999 {
            out.append(UInt8(ascii: "+"))
        }
        out.appendDigits(date.year.magnitude, width: 4)
        out.append(UInt8(ascii: "-"))
        out.appendDigits(UInt64(date.month), width: 2)
        out.append(UInt8(ascii: "-"))
        out.appendDigits(UInt64(date.day), width: 2)
        out.append(UInt8(ascii: "T"))
        out.appendDigits(UInt64(secondsOfDay / 3600), width: 2)
        out.append(UInt8(ascii: ":"))
        out.appendDigits(UInt64(secondsOfDay / 60 % 60), width: 2)
        out.append(UInt8(ascii: ":"))
        out.appendDigits(UInt64(secondsOfDay % 60), width: 2)
        out.appendFraction(microseconds: UInt64(fraction))

        if utcDesignator {
            out.append(UInt8(ascii: "Z"))
        } else {
            out.append(offsetSeconds < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let magnitude = UInt64(offsetSeconds.magnitude)
            out.appendDigits(magnitude / 3600, width: 2)
            out.append(UInt8(ascii: ":"))
            out.appendDigits(magnitude / 60 % 60, width: 2)
            if magnitude % 60 != 0 {
                out.append(UInt8(ascii: ":"))
                out.appendDigits(magnitude % 60, width: 2)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension [UInt8] {
    /// Appends `value` in decimal, zero-padded to at least `width` digits.
    mutating func appendDigits(_ value: UInt64, width: Int) {
        var digits: [UInt8] = []
        var rest = value
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        if digits.count < width {
            append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count))
        }
        append(contentsOf: digits.reversed())
    }

    /// Appends ".f" for a non-zero sub-second part with trailing zeros trimmed; nothing for zero.
    mutating func appendFraction(microseconds: UInt64) {
        guard microseconds > 0 else { return }
        var numerator = microseconds
        var width = 6
        while numerator % 10 == 0 {
            numerator /= 10
            width -= 1
        }
        append(UInt8(ascii: "."))
        appendDigits(numerator, width: width)
    }
}

/// The datetime grammar documented at the top of this file.
enum DatetimeParser {
    enum Outcome {
        case instant(Instant)
        /// Well-formed up to the end of the time, but without an offset.
        case naive
        case malformed
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Outcome {
        var scanner = ASCIIScanner(bytes)
        guard let year = scanner.fixedDigits(4), year >= 1,
            scanner.skip(UInt8(ascii: "-")),
            let month = scanner.fixedDigits(2), (1...12).contains(month),
            scanner.skip(UInt8(ascii: "-")),
            let day = scanner.fixedDigits(2), day >= 1, day <= CivilCalendar.daysIn(month: month, year: year),
            scanner.skip(UInt8(ascii: "T")) || scanner.skip(UInt8(ascii: "t")) || scanner.skip(UInt8(ascii: " ")),
            let hour = scanner.fixedDigits(2), hour < 24,
            scanner.skip(UInt8(ascii: ":")),
            let minute = scanner.fixedDigits(2), minute < 60
        else { return .malformed }

        var second = 0
        var microsecond: UInt64 = 0
        if scanner.skip(UInt8(ascii: ":")) {
            guard let value = scanner.fixedDigits(2), value < 60 else { return .malformed }
            second = value
            if scanner.skipDecimalSign() {
                guard let (numerator, digitCount) = scanner.fraction(maxDigits: 9) else { return .malformed }
                microsecond =
                    digitCount <= 6
                    ? numerator * powersOfTen[6 - digitCount]
                    : numerator / powersOfTen[digitCount - 6]
            }
        }

        if scanner.isAtEnd { return .naive }

        var offsetSeconds = 0
        if scanner.skip(UInt8(ascii: "Z")) || scanner.skip(UInt8(ascii: "z")) {
            offsetSeconds = 0
        } else if let sign = scanner.offsetSign() {
            guard let offsetHours = scanner.fixedDigits(2), offsetHours < 24 else { return .malformed }
            var offsetMinutes = 0
            if scanner.skip(UInt8(ascii: ":")) || !scanner.isAtEnd {
                guard let value = scanner.fixedDigits(2), value < 60 else { return .malformed }
                offsetMinutes = value
            }
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        } else {
            return .malformed
        }
        guard scanner.isAtEnd else { return .malformed }

        let days = CivilCalendar.daysSinceEpoch(year: Int64(year), month: Int64(month), day: Int64(day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        return .instant(
            Instant(microsecondsSinceEpoch: seconds * Timespan.microsecondsPerSecond + Int64(microsecond))
        )
    }
}

extension ASCIIScanner {
    fileprivate mutating func offsetSign() -> Int? {
        if skip(UInt8(ascii: "+")) { return 1 }
        if skip(UInt8(ascii: "-")) { return -1 }
        return nil
    }
}
