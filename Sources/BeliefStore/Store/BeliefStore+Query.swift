import Beliefs
import GRDB

extension BeliefStore {
    /// Every belief of a sensor with its event in [start, end) that `filter` admits, sorted by event start
    /// and belief time. Only segments that overlap the window (and the filter's sources and prior) are decoded.
    public func beliefs(sensorID: SensorID, from start: Instant, to end: Instant, filter: BeliefFilter = .all) throws -> [Belief] {
        try database.pool.read { db in
            let resolution = try Self.resolution(of: sensorID, in: db)
            var found = try Self.gather(sensorID: sensorID, start: start, end: end, filter: filter, resolution: resolution, in: db)
            if zip(found, found.dropFirst()).contains(where: { BeliefRun.precedes($1, $0) }) {
                found.sort(by: BeliefRun.precedes)
            }
            return found
        }
    }

    /// One belief per event in [start, end): per event the most recent belief that `filter` admits, the
    /// lowest `sourceRank` first (see `BeliefSelection.mostRecent`). Sorted by event start.
    public func mostRecentBeliefs(
        sensorID: SensorID, from start: Instant, to end: Instant, filter: BeliefFilter = .all,
        sourceRank: (SourceID) -> Int = { _ in 0 }
    ) throws -> [Belief] {
        try database.pool.read { db in
            let resolution = try Self.resolution(of: sensorID, in: db)
            let found = try Self.gather(sensorID: sensorID, start: start, end: end, filter: filter, resolution: resolution, in: db)
            return BeliefSelection.mostRecent(
                sortedByEventStart: found, eventResolution: resolution, filter: .all, sourceRank: sourceRank
            )
        }
    }

    /// The selected beliefs as a regular series over [start, end) at the sensor's resolution, or
    /// resampled to `resolution` (down by mean to whole multiples, up by repetition).
    public func timeseries(
        sensorID: SensorID, from start: Instant, to end: Instant, filter: BeliefFilter = .all,
        sourceRank: (SourceID) -> Int = { _ in 0 }, resolution: Timespan? = nil
    ) throws -> Timeseries {
        let sensorResolution = try database.pool.read { db in try Self.resolution(of: sensorID, in: db) }
        let selected = try mostRecentBeliefs(sensorID: sensorID, from: start, to: end, filter: filter, sourceRank: sourceRank)
        let series = Timeseries.aligning(selected, start: start, end: end, resolution: sensorResolution)
        guard let resolution, resolution != sensorResolution else { return series }
        return try series.resampled(to: resolution)
    }

    static func resolution(of sensorID: SensorID, in db: Database) throws -> Timespan {
        guard let shape = try SensorCatalog.sensorShape(id: sensorID, in: db) else {
            throw BeliefStoreError.unknownSensor(sensorID)
        }
        return shape.eventResolution
    }

    /// The admitted beliefs of segments and tail in the window: per segment in its sorted order.
    private static func gather(
        sensorID: SensorID, start: Instant, end: Instant, filter: BeliefFilter, resolution: Timespan, in db: Database
    ) throws -> [Belief] {
        guard start < end else { return [] }
        let first = start.microsecondsSinceEpoch
        let last = end.microsecondsSinceEpoch - 1
        if let sources = filter.sources, sources.isEmpty { return [] }
        let beliefTimes = filter.prior.map { Int64.min...($0.microsecondsSinceEpoch - 1) }
        let segments = try SegmentTable.segments(
            sensorID: sensorID, firstEvent: first, lastEvent: last, sources: filter.sources, beliefTimes: beliefTimes, in: db
        )
        var found: [Belief] = []
        found.reserveCapacity(segments.reduce(0) { $0 + $1.count })
        for segment in segments {
            let columns = segment.run.columns
            columns.eventStarts.withUnsafeBufferPointer { events in
                // Segments are sorted by event start: skip to the window by binary search, stop past it.
                var index = lowerBound(of: first, in: events)
                while index < events.count && events[index] <= last {
                    let belief = segment.run.belief(at: index, sensorID: sensorID, sourceID: segment.sourceID)
                    if filter.admits(belief, eventResolution: resolution) { found.append(belief) }
                    index += 1
                }
            }
        }
        let tail = try SegmentTable.tail(sensorID: sensorID, firstEvent: first, lastEvent: last, in: db)
            .filter { filter.admits($0, eventResolution: resolution) }
        if !tail.isEmpty {
            found.append(contentsOf: tail)
            if !isSortedByEvent(found) { found.sort(by: BeliefRun.precedes) }
        }
        return found
    }

    private static func lowerBound(of value: Int64, in sorted: UnsafeBufferPointer<Int64>) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }

    static func isSortedByEvent(_ beliefs: [Belief]) -> Bool {
        for index in beliefs.indices.dropFirst() where beliefs[index - 1].eventStart > beliefs[index].eventStart {
            return false
        }
        return true
    }
}
