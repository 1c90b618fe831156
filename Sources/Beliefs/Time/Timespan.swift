/// A signed, exact duration in whole microseconds: a resolution, a horizon, a period length.
///
/// Days are exactly 24 hours; there are no calendar units, so every timespan has one length.
public struct Timespan: Comparable, Hashable, Sendable {
    /// The length in microseconds; negative for spans that point back in time.
    public let microseconds: Int64

    /// A timespan of exactly this many microseconds.
    public init(microseconds: Int64) {
        self.microseconds = microseconds
    }

    /// The empty timespan.
    public static let zero = Timespan(microseconds: 0)

    /// A timespan of whole seconds.
    public static func seconds(_ count: Int64) -> Timespan {
        Timespan(microseconds: count * microsecondsPerSecond)
    }

    /// A timespan of whole minutes.
    public static func minutes(_ count: Int64) -> Timespan {
        Timespan(microseconds: count * microsecondsPerMinute)
    }

    /// A timespan of whole hours.
    public static func hours(_ count: Int64) -> Timespan {
        Timespan(microseconds: count * microsecondsPerHour)
    }

    /// A timespan of whole days of exactly 24 hours (no daylight saving time at this level).
    public static func days(_ count: Int64) -> Timespan {
        Timespan(microseconds: count * microsecondsPerDay)
    }

    /// True for spans pointing back in time (e.g. the horizon of a measurement made after the fact).
    public var isNegative: Bool { microseconds < 0 }

    /// True when `other` is positive and fits into this span a whole number of times (zero included).
    public func isWholeMultiple(of other: Timespan) -> Bool {
        // `other > 0` also keeps `%` away from the one trapping case, Int64.min % -1.
        other.microseconds > 0 && microseconds % other.microseconds == 0
    }

    /// Shorter (or more negative) spans sort first.
    public static func < (lhs: Timespan, rhs: Timespan) -> Bool {
        lhs.microseconds < rhs.microseconds
    }

    /// The sum of two spans.
    public static func + (lhs: Timespan, rhs: Timespan) -> Timespan {
        Timespan(microseconds: lhs.microseconds + rhs.microseconds)
    }

    /// The difference of two spans.
    public static func - (lhs: Timespan, rhs: Timespan) -> Timespan {
        Timespan(microseconds: lhs.microseconds - rhs.microseconds)
    }

    /// A span repeated `factor` times.
    public static func * (span: Timespan, factor: Int64) -> Timespan {
        Timespan(microseconds: span.microseconds * factor)
    }

    /// A span repeated `factor` times.
    public static func * (factor: Int64, span: Timespan) -> Timespan {
        Timespan(microseconds: factor * span.microseconds)
    }

    /// The same length pointing the other way.
    public static prefix func - (span: Timespan) -> Timespan {
        Timespan(microseconds: -span.microseconds)
    }

    static let microsecondsPerSecond: Int64 = 1_000_000
    static let microsecondsPerMinute: Int64 = 60 * microsecondsPerSecond
    static let microsecondsPerHour: Int64 = 60 * microsecondsPerMinute
    static let microsecondsPerDay: Int64 = 24 * microsecondsPerHour
    static let microsecondsPerWeek: Int64 = 7 * microsecondsPerDay
}

extension Timespan: CustomStringConvertible {
    /// The canonical ISO 8601 form, so test failures and logs read like the API.
    public var description: String { iso8601 }
}
