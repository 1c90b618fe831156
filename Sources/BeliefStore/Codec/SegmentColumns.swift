/// The beliefs of one segment (one sensor, one source) as four parallel columns, sorted by event
/// start, then belief time, then cumulative probability. Row `i` is the belief
/// `(eventStarts[i], beliefTimes[i], probabilities[i], values[i])`.
///
/// Equality compares doubles with `==`, so `-0.0 == 0.0`; the codec itself preserves bit patterns.
public struct SegmentColumns: Hashable, Sendable {
    /// Event starts in microseconds since the Unix epoch, non-decreasing.
    public var eventStarts: [Int64]
    /// Belief times in microseconds since the Unix epoch.
    public var beliefTimes: [Int64]
    /// Cumulative probabilities, usually all 0.5 (a deterministic belief).
    public var probabilities: [Double]
    /// Event values in the sensor's unit.
    public var values: [Double]

    /// Columns holding the given beliefs; all four arrays must have the same count.
    public init(eventStarts: [Int64], beliefTimes: [Int64], probabilities: [Double], values: [Double]) {
        self.eventStarts = eventStarts
        self.beliefTimes = beliefTimes
        self.probabilities = probabilities
        self.values = values
    }

    /// An empty segment.
    public init() {
        self.init(eventStarts: [], beliefTimes: [], probabilities: [], values: [])
    }

    /// Number of beliefs.
    public var count: Int { eventStarts.count }
}
