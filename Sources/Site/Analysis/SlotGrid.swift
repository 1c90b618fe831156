import Beliefs

/// Lays one belief per event (a sensor's, at its own resolution) on another grid: a coarser grid takes
/// the mean of the events in each slot, a finer one repeats the event that holds each slot. Used where
/// an asset's slots meet a market's prices or a weather sensor's values.
struct SlotGrid: Sendable {
    let start: Instant
    let end: Instant
    let resolution: Timespan
    /// The slots' starts, [start, end) in steps of `resolution` (the caller has checked the window's size).
    let starts: [Instant]

    init(start: Instant, end: Instant, resolution: Timespan) {
        self.start = start
        self.end = end
        self.resolution = resolution
        if resolution > .zero, end > start {
            let count = (end - start).microseconds / resolution.microseconds
            starts = (0..<count).map { start + resolution * $0 }
        } else {
            starts = []
        }
    }

    /// The values of `beliefs` (one per event, of a sensor with `eventResolution`) per slot; nil where none.
    func values(of beliefs: [Belief], eventResolution: Timespan) -> [Double?] {
        guard eventResolution > .zero, !starts.isEmpty else { return starts.map { _ in nil } }
        if resolution.isWholeMultiple(of: eventResolution) {
            let fine = Timeseries.aligning(beliefs, start: start, end: end, resolution: eventResolution)
            let coarse = (try? fine.downsampled(to: resolution))?.values ?? []
            return starts.indices.map { $0 < coarse.count ? coarse[$0] : nil }
        }
        let byStart = Dictionary(beliefs.map { ($0.eventStart, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard eventResolution.isWholeMultiple(of: resolution) else { return starts.map { _ in nil } }
        return starts.map { byStart[$0.floored(to: eventResolution)] }
    }
}
