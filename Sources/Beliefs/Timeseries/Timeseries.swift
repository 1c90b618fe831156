/// A regular series: `values[i]` is the value of the event starting at `start + i * resolution`.
///
/// nil marks an event without a value (a gap), which is not the same as 0.
public struct Timeseries: Hashable, Sendable {
    /// The start of the first event.
    public var start: Instant
    /// The length of each event, and the step between consecutive starts.
    public var resolution: Timespan
    /// One value per event, nil for a gap.
    public var values: [Double?]

    /// A series with every field given.
    public init(start: Instant, resolution: Timespan, values: [Double?]) {
        self.start = start
        self.resolution = resolution
        self.values = values
    }

    /// One event of a series: its start and its value (nil for a gap).
    public struct Event: Hashable, Sendable {
        /// The start of the event.
        public var start: Instant
        /// The event's value, nil for a gap.
        public var value: Double?

        /// An event with every field given.
        public init(start: Instant, value: Double?) {
            self.start = start
            self.value = value
        }
    }

    /// The end of the last event (`start` for an empty series).
    public var end: Instant {
        start + resolution * Int64(values.count)
    }

    /// The events in order, each with its own start.
    public var events: [Event] {
        values.enumerated().map { index, value in
            Event(start: start + resolution * Int64(index), value: value)
        }
    }

    /// Expands the API's shorthand (reference 14.4.4): `values` share `duration` equally, from `start`.
    ///
    /// Three values over PT45M are three PT15M events.
    public static func fromShorthand(
        start: Instant, duration: Timespan, values: [Double]
    ) throws(ResampleError) -> Timeseries {
        guard !values.isEmpty else { throw .emptyValues }
        guard duration > .zero else { throw .nonPositiveDuration(duration) }
        let count = Int64(values.count)
        guard duration.microseconds % count == 0 else {
            throw .durationNotDivisible(duration: duration, count: values.count)
        }
        return Timeseries(
            start: start, resolution: Timespan(microseconds: duration.microseconds / count), values: values
        )
    }

    /// Lays beliefs (one per event, e.g. from `BeliefSelection.mostRecent`) on a grid over [start, end).
    ///
    /// Slots without a belief are nil; beliefs off the grid or outside the window are left out; if two
    /// beliefs share a slot the later one in the sequence wins. A non-positive resolution gives no slots.
    public static func aligning(
        _ beliefs: some Sequence<Belief>, start: Instant, end: Instant, resolution: Timespan
    ) -> Timeseries {
        guard resolution > .zero, end > start else {
            return Timeseries(start: start, resolution: resolution, values: [])
        }
        let span = (end - start).microseconds
        let step = resolution.microseconds
        // A window that is not a whole number of steps still gets a slot for its last partial step.
        let slotCount = Int(span / step + (span % step == 0 ? 0 : 1))
        var values = [Double?](repeating: nil, count: slotCount)
        for belief in beliefs where start <= belief.eventStart && belief.eventStart < end {
            let offset = (belief.eventStart - start).microseconds
            guard offset % step == 0 else { continue }
            values[Int(offset / step)] = belief.value
        }
        return Timeseries(start: start, resolution: resolution, values: values)
    }

    /// `aligning` on the sensor's `eventResolution` grid, then resampled to `resolution` when one is given.
    public static func aligning(
        _ beliefs: some Sequence<Belief>, start: Instant, end: Instant, eventResolution: Timespan, resampledTo resolution: Timespan?
    ) throws -> Timeseries {
        let series = aligning(beliefs, start: start, end: end, resolution: eventResolution)
        guard let resolution, resolution != eventResolution else { return series }
        return try series.resampled(to: resolution)
    }
}
