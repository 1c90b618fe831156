#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A moment in time, stored as microseconds since 1970-01-01T00:00:00Z (no leap seconds).
///
/// Instants carry no timezone: offsets matter only when parsing and formatting.
public struct Instant: Comparable, Hashable, Sendable {
    /// Microseconds since the Unix epoch, UTC; negative before 1970.
    public let microsecondsSinceEpoch: Int64

    /// The instant this many microseconds after the Unix epoch.
    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    /// The instant this many whole seconds after the Unix epoch.
    public init(secondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = secondsSinceEpoch * Timespan.microsecondsPerSecond
    }

    /// 1970-01-01T00:00:00Z, the origin that resolutions and grids are counted from.
    public static let epoch = Instant(microsecondsSinceEpoch: 0)

    /// The current wall-clock time, truncated to microseconds.
    public static func now() -> Instant {
        var spec = timespec()
        // CLOCK_REALTIME cannot fail with a valid pointer; belief times are wall-clock times by definition.
        clock_gettime(CLOCK_REALTIME, &spec)
        return Instant(
            microsecondsSinceEpoch: Int64(spec.tv_sec) * Timespan.microsecondsPerSecond + Int64(spec.tv_nsec) / 1_000
        )
    }

    /// Earlier instants sort first.
    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    /// The instant `span` later (earlier for a negative span).
    /// The start of the `step`-long slot (counted from the epoch) that holds this instant; before 1970 too.
    public func floored(to step: Timespan) -> Instant {
        guard step.microseconds > 0 else { return self }
        return Instant(microsecondsSinceEpoch: microsecondsSinceEpoch - microsecondsSinceEpoch.flooredDivision(by: step.microseconds).remainder)
    }

    public static func + (instant: Instant, span: Timespan) -> Instant {
        Instant(microsecondsSinceEpoch: instant.microsecondsSinceEpoch + span.microseconds)
    }

    /// The instant `span` earlier (later for a negative span).
    public static func - (instant: Instant, span: Timespan) -> Instant {
        Instant(microsecondsSinceEpoch: instant.microsecondsSinceEpoch - span.microseconds)
    }

    /// The signed time from `earlier` to `later` (negative when `earlier` is in fact later).
    public static func - (later: Instant, earlier: Instant) -> Timespan {
        Timespan(microseconds: later.microsecondsSinceEpoch - earlier.microsecondsSinceEpoch)
    }
}

extension Instant: CustomStringConvertible {
    /// The UTC ISO 8601 form, so test failures and logs read like the API.
    public var description: String { iso8601 }
}
