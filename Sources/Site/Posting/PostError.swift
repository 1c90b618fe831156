/// Why a post of power, price or weather data was refused. (A post larger than one request may be is a
/// `BoundsError`; a refusal of the store an `IngestError`.)
public typealias PostError = SiteError<PostProblem>

public enum PostProblem: Sendable, Hashable {
    /// The data's resolution is not a whole multiple of the sensor's (or cannot be repeated to it).
    case resolutionNotAMultiple
    /// One post names assets of different resolutions.
    case resolutionMismatch
    /// A positive value for a pure producer (production is negative).
    case valueTooBig
    /// A negative value for a pure consumer (consumption is positive).
    case valueTooSmall
    /// Meter data that would be known before its interval ended.
    case positiveHorizonForMeterData
}
