/// Why a series could not be built or resampled; each case carries what the caller has to change.
public enum ResampleError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Neither resolution is a whole multiple of the other, or the direction needs the other one.
    case notAMultiple(from: Timespan, to: Timespan)
    /// A resolution of zero or less, which cannot form a regular series.
    case nonPositiveResolution
    /// A shorthand message without any values.
    case emptyValues
    /// A shorthand duration of zero or less.
    case nonPositiveDuration(Timespan)
    /// A shorthand duration that does not split into `count` equal whole-microsecond periods.
    case durationNotDivisible(duration: Timespan, count: Int)

    /// A message that tells a client what to send instead.
    public var description: String {
        switch self {
        case let .notAMultiple(from, to):
            "cannot resample from \(from.iso8601) to \(to.iso8601): the target must be a whole multiple of "
                + "\(from.iso8601) to downsample (e.g. \((from * 4).iso8601)) or divide it evenly to upsample"
        case .nonPositiveResolution:
            "the resolution must be a positive duration (e.g. PT15M)"
        case .emptyValues:
            "no values were given; send at least one value"
        case .nonPositiveDuration(let duration):
            "the duration \(duration.iso8601) must be positive (e.g. PT45M for three 15-minute values)"
        case let .durationNotDivisible(duration, count):
            "the duration \(duration.iso8601) does not split into \(count) equal periods; send a number of "
                + "values that divides it (e.g. 4 values for PT1H at PT15M)"
        }
    }
}
