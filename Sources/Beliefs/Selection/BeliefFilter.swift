/// The GET filters of reference 14.4.5: which beliefs may answer a query, before picking one per event.
public struct BeliefFilter: Hashable, Sendable {
    /// Keep beliefs formed at least this long before each event's end (`horizon(…) >= horizon`).
    public var horizon: Timespan?
    /// Keep beliefs formed strictly before this moment ("time travel").
    public var prior: Instant?
    /// Keep beliefs of these sources only; nil keeps every source.
    public var sources: Set<SourceID>?

    /// A filter; every criterion left nil lets all beliefs through.
    public init(horizon: Timespan? = nil, prior: Instant? = nil, sources: Set<SourceID>? = nil) {
        self.horizon = horizon
        self.prior = prior
        self.sources = sources
    }

    /// Keeps what was known at `moment`: beliefs formed at or before it (a forecast made at `moment` can use
    /// a weather forecast formed at that very moment), of `sources` when given.
    public static func knownAt(_ moment: Instant, sources: Set<SourceID>? = nil) -> BeliefFilter {
        BeliefFilter(prior: moment + Timespan(microseconds: 1), sources: sources)
    }

    /// The filter that keeps every belief.
    public static let all = BeliefFilter()

    /// True when `belief` passes every criterion set, given its sensor's event resolution.
    public func admits(_ belief: Belief, eventResolution: Timespan) -> Bool {
        if let horizon, belief.horizon(eventResolution: eventResolution) < horizon { return false }
        if let prior, belief.beliefTime >= prior { return false }
        if let sources, !sources.contains(belief.sourceID) { return false }
        return true
    }
}
