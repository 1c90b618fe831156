// The accepted duration form, ISO 8601 with FlexMeasures' sign extension:
//
//     ['+' | '-'] 'P' ( n 'W' | [n 'D'] ['T' [n 'H'] [n 'M'] [n 'S']] )
//
// with at least one component, designators in this order and uppercase, and a decimal fraction
// ('.' or ',', 1-9 digits) allowed on the last component only (PT0.5H, PT1.25S); sub-microsecond
// remainders are truncated toward zero. Days are exactly 24 hours. Years and months (P1Y, P1M) parse
// but are refused as ambiguous, since their length depends on the calendar.
//
// Formatting is canonical: days, then hours, minutes and seconds, zero components omitted, no weeks,
// a trimmed fraction on the seconds, "-" in front of negative spans, and "PT0S" for zero.

extension Timespan {
    /// Reads an ISO 8601 duration such as "PT15M", "P1DT2H", "PT0.5S" or FlexMeasures' "-PT10M".
    public static func parseISO8601(_ text: String) throws(TimeParseError) -> Timespan {
        switch text.withContiguousUTF8(DurationParser.parse) {
        case .span(let span): return span
        case .ambiguous: throw .ambiguousDuration(text)
        case .malformed: throw .malformedDuration(text)
        case .outOfRange: throw .durationOutOfRange(text)
        }
    }

    /// The longest duration a text may state either way: 10,000 years of 365.25 days. Any instant of years
    /// 0001-9999 plus or minus a few such spans stays far inside `Int64` microseconds, so arithmetic on
    /// parsed times cannot overflow.
    public static let longestParsed = Timespan.days(3_652_500)

    /// The canonical ISO 8601 spelling, e.g. "PT15M", "PT1H30M", "P1DT2H", "-PT10M", "PT0.5S", "PT0S".
    public var iso8601: String {
        var rest = microseconds.magnitude
        let days = rest / UInt64(Timespan.microsecondsPerDay)
        rest %= UInt64(Timespan.microsecondsPerDay)
        let hours = rest / UInt64(Timespan.microsecondsPerHour)
        rest %= UInt64(Timespan.microsecondsPerHour)
        let minutes = rest / UInt64(Timespan.microsecondsPerMinute)
        rest %= UInt64(Timespan.microsecondsPerMinute)
        let seconds = rest / UInt64(Timespan.microsecondsPerSecond)
        let fraction = rest % UInt64(Timespan.microsecondsPerSecond)

        guard microseconds != 0 else { return "PT0S" }
        var out: [UInt8] = []
        out.reserveCapacity(24)
        if microseconds < 0 { out.append(UInt8(ascii: "-")) }
        out.append(UInt8(ascii: "P"))
        if days > 0 {
            out.appendDigits(days, width: 1)
            out.append(UInt8(ascii: "D"))
        }
        if hours > 0 || minutes > 0 || seconds > 0 || fraction > 0 {
            out.append(UInt8(ascii: "T"))
            if hours > 0 {
                out.appendDigits(hours, width: 1)
                out.append(UInt8(ascii: "H"))
            }
            if minutes > 0 {
                out.appendDigits(minutes, width: 1)
                out.append(UInt8(ascii: "M"))
            }
            if seconds > 0 || fraction > 0 {
                out.appendDigits(seconds, width: 1)
                out.appendFraction(microseconds: fraction)
                out.append(UInt8(ascii: "S"))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The duration grammar documented at the top of this file.
enum DurationParser {
    enum Outcome {
        case span(Timespan)
        /// Well-formed, but with years or months.
        case ambiguous
        case malformed
        /// Well-formed, but longer than `Timespan.longestParsed`.
        case outOfRange
    }

    private struct Designator {
        let byte: UInt8
        /// Microseconds per unit; nil for the calendar units that have no fixed length.
        let unit: UInt64?
    }

    private static let dateDesignators = [
        Designator(byte: UInt8(ascii: "Y"), unit: nil),
        Designator(byte: UInt8(ascii: "M"), unit: nil),
        Designator(byte: UInt8(ascii: "W"), unit: UInt64(Timespan.microsecondsPerWeek)),
        Designator(byte: UInt8(ascii: "D"), unit: UInt64(Timespan.microsecondsPerDay)),
    ]
    private static let weekIndex = 2

    private static let timeDesignators = [
        Designator(byte: UInt8(ascii: "H"), unit: UInt64(Timespan.microsecondsPerHour)),
        Designator(byte: UInt8(ascii: "M"), unit: UInt64(Timespan.microsecondsPerMinute)),
        Designator(byte: UInt8(ascii: "S"), unit: UInt64(Timespan.microsecondsPerSecond)),
    ]

    /// What has been read so far; a component after a fractional one is an error.
    private struct Accumulator {
        var magnitude: UInt64 = 0
        var componentCount = 0
        var sawFraction = false
        var sawWeeks = false
        var isAmbiguous = false
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Outcome {
        var scanner = ASCIIScanner(bytes)
        let isNegative = scanner.skip(UInt8(ascii: "-"))
        if !isNegative { _ = scanner.skip(UInt8(ascii: "+")) }
        guard scanner.skip(UInt8(ascii: "P")) else { return .malformed }

        var accumulator = Accumulator()
        guard readComponents(dateDesignators, from: &scanner, into: &accumulator, isDatePart: true) else {
            return .malformed
        }
        if scanner.skip(UInt8(ascii: "T")) {
            let before = accumulator.componentCount
            guard !accumulator.sawWeeks,
                readComponents(timeDesignators, from: &scanner, into: &accumulator, isDatePart: false),
                accumulator.componentCount > before
            else { return .malformed }
        }
        guard scanner.isAtEnd, accumulator.componentCount > 0 else { return .malformed }
        if accumulator.isAmbiguous { return .ambiguous }
        guard accumulator.magnitude <= UInt64(Timespan.longestParsed.microseconds) else { return .outOfRange }
        let magnitude = Int64(accumulator.magnitude)
        return .span(Timespan(microseconds: isNegative ? -magnitude : magnitude))
    }

    /// Reads `n[.f]X` components whose designators appear in `table` order; stops before 'T' or the end.
    private static func readComponents(
        _ table: [Designator], from scanner: inout ASCIIScanner, into accumulator: inout Accumulator,
        isDatePart: Bool
    ) -> Bool {
        var nextIndex = 0
        while let byte = scanner.peek, !(isDatePart && byte == UInt8(ascii: "T")) {
            guard !accumulator.sawFraction, !accumulator.sawWeeks,
                let whole = scanner.unsignedInteger()
            else { return false }
            var fraction: (numerator: UInt64, digitCount: Int)?
            if scanner.skipDecimalSign() {
                guard let value = scanner.fraction(maxDigits: 9) else { return false }
                fraction = value
                accumulator.sawFraction = true
            }
            guard let designatorByte = scanner.advance(),
                let index = table[nextIndex...].firstIndex(where: { $0.byte == designatorByte })
            else { return false }
            nextIndex = index + 1

            if isDatePart && index == weekIndex {
                // ISO 8601 keeps weeks on their own: PnW, never combined with other components.
                guard accumulator.componentCount == 0 else { return false }
                accumulator.sawWeeks = true
            }
            accumulator.componentCount += 1
            guard let unit = table[index].unit else {
                accumulator.isAmbiguous = true
                continue
            }
            // Past UInt64 the duration is out of range, not malformed: saturate and let `parse` say so.
            let amount = microseconds(whole: whole, fraction: fraction, unit: unit) ?? .max
            let (sum, overflow) = accumulator.magnitude.addingReportingOverflow(amount)
            accumulator.magnitude = overflow ? .max : sum
        }
        return true
    }

    private static func microseconds(
        whole: UInt64, fraction: (numerator: UInt64, digitCount: Int)?, unit: UInt64
    ) -> UInt64? {
        let (wholePart, overflow) = whole.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        guard let fraction else { return wholePart }
        // numerator < 10^digitCount, so the quotient is below `unit` and cannot overflow.
        let product = fraction.numerator.multipliedFullWidth(by: unit)
        let fractionalPart = powersOfTen[fraction.digitCount].dividingFullWidth(product).quotient
        let (sum, sumOverflow) = wholePart.addingReportingOverflow(fractionalPart)
        return sumOverflow ? nil : sum
    }
}
