import Beliefs

/// The bounds on what one request may ask of the site, whichever front end it comes through: which times a
/// client may name, how many slots a window may cover and how many beliefs a post may store. Checked before
/// any work is done, so that a small message can neither trap on arithmetic nor make the daemon allocate
/// without limit.
public enum RequestBounds {
    /// The datetimes a client may send: from 1900 to the end of 9999. Durations are bounded by the parser
    /// (`Timespan.longestParsed`), so sums of a few times and durations stay far inside `Int64`.
    public static let datetimes = Instant(microsecondsSinceEpoch: -2_208_988_800_000_000)...Instant(
        microsecondsSinceEpoch: 253_402_300_799_999_999
    )

    /// How many `resolution`-long slots `start..<end` spans, counting a partial last slot; nil when
    /// `resolution` is not positive.
    public static func slots(from start: Instant, to end: Instant, resolution: Timespan) -> Int64? {
        guard resolution > .zero else { return nil }
        let (span, overflow) = end.microsecondsSinceEpoch.subtractingReportingOverflow(start.microsecondsSinceEpoch)
        guard !overflow else { return .max }
        guard span > 0 else { return 0 }
        return span / resolution.microseconds + (span % resolution.microseconds == 0 ? 0 : 1)
    }
}

/// A window or a post larger than one request may be; the API answers it as 400 INVALID_PERIOD.
public struct BoundsError: Error, Sendable, CustomStringConvertible {
    public let description: String
}

extension Site.Settings {
    /// Refuses a window that covers, with the `earlier` slots of the same request,
    /// more than `maximumSlotsPerRequest` slots of `resolution`; `what` names the fields for the message.
    /// Returns the request's slots so far.
    @discardableResult
    public func checkWindow(
        from start: Instant, to end: Instant, resolution: Timespan, what: String, earlier: Int64 = 0
    ) throws(BoundsError) -> Int64 {
        let slots = RequestBounds.slots(from: start, to: end, resolution: resolution) ?? .max
        let (total, overflow) = slots.addingReportingOverflow(earlier)
        guard !overflow, total <= Int64(maximumSlotsPerRequest) else {
            throw BoundsError(description:
                "\(what) covers \(slots) slots of \(resolution.iso8601)\(earlier > 0 ? " after \(earlier) for the other connections" : ""); "
                    + "one request may cover at most \(maximumSlotsPerRequest) (FLEXMEASURES_MAX_SLOTS_PER_REQUEST): ask for a "
                    + (earlier > 0 ? "shorter window or fewer connections" : "shorter window")
            )
        }
        return total
    }
}

/// Counts the beliefs a post would store before any of them is made, against what it sent.
public struct PostBudget: Sendable {
    /// The values the message states (each group's once, however many connections share them).
    public let valuesSent: Int
    let settings: Site.Settings
    public private(set) var beliefs = 0

    public init(valuesSent: Int, settings: Site.Settings) {
        self.valuesSent = valuesSent
        self.settings = settings
    }

    /// The most beliefs the message may store: `maximumUpsampling` per value sent, and no more than
    /// `maximumSlotsPerRequest` in all (what a GET may read back in one request).
    public var limit: Int {
        let (amplified, overflow) = valuesSent.multipliedReportingOverflow(by: settings.maximumUpsampling)
        return min(overflow ? .max : amplified, settings.maximumSlotsPerRequest)
    }

    /// Adds `count` values repeated `factor` times each; refuses past the limit.
    public mutating func add(_ count: Int, repeated factor: Int64, for name: String) throws(BoundsError) {
        let (stored, overflow) = Int64(count).multipliedReportingOverflow(by: factor)
        let (total, totalOverflow) = Int64(beliefs).addingReportingOverflow(stored)
        guard !overflow, !totalOverflow, total <= Int64(limit) else {
            throw BoundsError(description:
                "\(count) values at \(factor) beliefs each for \(name) would store \(overflow ? "too many" : String(stored)) "
                    + "beliefs from a message of \(valuesSent) values; a post may store at most \(limit) "
                    + "(\(settings.maximumUpsampling) per value sent, FLEXMEASURES_MAX_UPSAMPLING, and at most "
                    + "\(settings.maximumSlotsPerRequest) in all, FLEXMEASURES_MAX_SLOTS_PER_REQUEST): send the values at the "
                    + "sensor's resolution, or the period in parts"
            )
        }
        beliefs = Int(total)
    }
}
