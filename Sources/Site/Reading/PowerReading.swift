import Beliefs
import Registry

/// What a reader asks of assets' power (getMeterData, getPrognosis; reference 14.4.5): a window, a
/// resolution (the assets' when nil), and which beliefs count: made at least `horizon` before their
/// event ended, before `prior`, by `sources`; per event, the most recent of those.
public struct PowerReading: Sendable {
    /// Whose beliefs count.
    public enum Sources: Sendable {
        /// Meter data: the reader's own and the meter data companies'; prognoses: everyone's.
        case byDefault
        /// These users' and the users of these roles', and the reader's own; `asWritten` is how the
        /// request named them, for the message when none matches.
        case named([SourceName], asWritten: String)
    }

    /// A user by id, or every user of a role.
    public enum SourceName: Sendable, Hashable {
        case user(Int64)
        case role(Role)
    }

    public let start: Instant
    public let end: Instant
    public let resolution: Timespan?
    public let horizon: Timespan?
    public let prior: Instant?
    public let sources: Sources

    public init(start: Instant, end: Instant, resolution: Timespan?, horizon: Timespan?, prior: Instant?, sources: Sources) {
        self.start = start
        self.end = end
        self.resolution = resolution
        self.horizon = horizon
        self.prior = prior
        self.sources = sources
    }
}

/// Why power cannot be read as asked. (A window longer than one request may cover is a `BoundsError`.)
public typealias ReadingError = SiteError<ReadingProblem>

public enum ReadingProblem: Sendable, Hashable {
    /// None of the named sources matches a user with data.
    case unknownSource
    /// The resolution is not a whole multiple of an asset's.
    case resolutionNotAMultiple
}
