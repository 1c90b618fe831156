import Beliefs
import GRDB

extension BeliefStore {
    /// Every belief of a sensor with its event in [start, end) that `filter` admits, sorted by event start
    /// and belief time. Only segments that overlap the window (and the filter's sources and prior) are decoded.
    public func beliefs(sensorID: SensorID, from start: Instant, to end: Instant, filter: BeliefFilter = .all) throws -> [Belief] {
        try database.pool.read { db in try beliefs(sensorID: sensorID, from: start, to: end, filter: filter, in: db) }
    }

    /// `beliefs(sensorID:from:to:filter:)` inside the caller's read transaction (one snapshot for many reads).
    public func beliefs(sensorID: SensorID, from start: Instant, to end: Instant, filter: BeliefFilter = .all, in db: Database) throws -> [Belief] {
        let resolution = try Self.resolution(of: sensorID, in: db)
        guard start < end, filter.sources?.isEmpty != true else { return [] }
        let first = start.microsecondsSinceEpoch
        let last = end.microsecondsSinceEpoch - 1
        var found = Self.gather(
            segments: try Self.segments(sensorID: sensorID, first: first, last: last, filter: filter, in: db),
            tail: try SegmentTable.tail(sensorID: sensorID, firstEvent: first, lastEvent: last, in: db),
            sensorID: sensorID, first: first, last: last, filter: filter, resolution: resolution
        )
        if zip(found, found.dropFirst()).contains(where: { BeliefRun.precedes($1, $0) }) {
            found.sort(by: BeliefRun.precedes)
        }
        return found
    }

    /// One belief per event in [start, end): per event the most recent belief that `filter` admits, the
    /// lowest `sourceRank` first (see `BeliefSelection.mostRecent`). Sorted by event start.
    public func mostRecentBeliefs(
        sensorID: SensorID, from start: Instant, to end: Instant, filter: BeliefFilter = .all,
        sourceRank: (SourceID) -> Int = { _ in 0 }
    ) throws -> [Belief] {
        try database.pool.read { db in
            try Self.mostRecentBeliefs(
                sensorID: sensorID, from: start, to: end, filter: filter, sourceRank: sourceRank,
                resolution: try Self.resolution(of: sensorID, in: db), in: db
            )
        }
    }

    /// `mostRecentBeliefs` in the caller's read transaction, for a sensor of event `resolution`.
    static func mostRecentBeliefs(
        sensorID: SensorID, from start: Instant, to end: Instant, filter: BeliefFilter, sourceRank: (SourceID) -> Int,
        resolution: Timespan, in db: Database
    ) throws -> [Belief] {
        guard start < end, filter.sources?.isEmpty != true else { return [] }
        let first = start.microsecondsSinceEpoch
        let last = end.microsecondsSinceEpoch - 1
        let segments = try Self.segments(sensorID: sensorID, first: first, last: last, filter: filter, in: db)
        let tail = try SegmentTable.tail(sensorID: sensorID, firstEvent: first, lastEvent: last, in: db)
        if tail.isEmpty && Self.haveDisjointEvents(segments) {
            // Each event lives in one segment: select per segment straight from its columns.
            var selected: [Belief] = []
            selected.reserveCapacity(min(segments.reduce(0) { $0 + $1.count }, Self.slots(first...last, resolution)))
            for segment in segments {
                Self.selectMostRecent(
                    in: segment, sensorID: sensorID, first: first, last: last, filter: filter,
                    rank: sourceRank(segment.sourceID), resolution: resolution, into: &selected
                )
            }
            return selected
        }
        // The segments and tail read above, not read again.
        let found = Self.gather(
            segments: segments, tail: tail, sensorID: sensorID, first: first, last: last, filter: filter, resolution: resolution
        )
        return BeliefSelection.mostRecent(sortedByEventStart: found, eventResolution: resolution, filter: .all, sourceRank: sourceRank)
    }

    /// The selected beliefs as a regular series over [start, end) at the sensor's resolution, or
    /// resampled to `resolution` (down by mean to whole multiples, up by repetition).
    public func timeseries(
        sensorID: SensorID, from start: Instant, to end: Instant, filter: BeliefFilter = .all,
        sourceRank: (SourceID) -> Int = { _ in 0 }, resolution: Timespan? = nil
    ) throws -> Timeseries {
        let (selected, sensorResolution) = try database.pool.read { db in
            let sensorResolution = try Self.resolution(of: sensorID, in: db)
            let selected = try Self.mostRecentBeliefs(
                sensorID: sensorID, from: start, to: end, filter: filter, sourceRank: sourceRank, resolution: sensorResolution, in: db
            )
            return (selected, sensorResolution)
        }
        return try Timeseries.aligning(selected, start: start, end: end, eventResolution: sensorResolution, resampledTo: resolution)
    }

    /// The start of the latest event of a sensor with a belief of one of `sources`, or nil when there is none.
    public func latestEventStart(sensorID: SensorID, sources: Set<SourceID>) throws -> Instant? {
        guard !sources.isEmpty else { return nil }
        let marks = databaseQuestionMarks(count: sources.count)
        let ids = StatementArguments(sources.sorted())
        return try database.pool.read { db in
            let segments = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT MAX(last_event_start_us) FROM belief_segment WHERE sensor_id = ? AND source_id IN (\(marks))"),
                arguments: [sensorID] + ids
            )
            let tail = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT MAX(event_start_us) FROM belief_tail WHERE sensor_id = ? AND source_id IN (\(marks))"),
                arguments: [sensorID] + ids
            )
            return [segments, tail].compactMap { $0 }.max().map(Instant.init(microsecondsSinceEpoch:))
        }
    }

    static func resolution(of sensorID: SensorID, in db: Database) throws -> Timespan {
        guard let shape = try SensorCatalog.sensorShape(id: sensorID, in: db) else {
            throw BeliefStoreError.unknownSensor(sensorID)
        }
        return shape.eventResolution
    }

    /// The admitted beliefs of `segments` and `tail` with events in [first, last]: per segment in its sorted
    /// order, sorted by event when the tail adds any.
    private static func gather(
        segments: [SegmentTable.SegmentRow], tail: [Belief], sensorID: SensorID, first: Int64, last: Int64,
        filter: BeliefFilter, resolution: Timespan
    ) -> [Belief] {
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
        let admittedTail = tail.filter { filter.admits($0, eventResolution: resolution) }
        if !admittedTail.isEmpty {
            found.append(contentsOf: admittedTail)
            if !isSortedByEvent(found) { found.sort(by: BeliefRun.precedes) }
        }
        return found
    }

    /// The segments that can hold admitted beliefs of events in [first, last].
    private static func segments(
        sensorID: SensorID, first: Int64, last: Int64, filter: BeliefFilter, in db: Database
    ) throws -> [SegmentTable.SegmentRow] {
        let beliefTimes = filter.prior.map { Int64.min...($0.microsecondsSinceEpoch - 1) }
        return try SegmentTable.segments(
            sensorID: sensorID, firstEvent: first, lastEvent: last, sources: filter.sources, beliefTimes: beliefTimes, in: db
        )
    }

    /// True when no event start appears in two segments (segments come sorted by their first event).
    private static func haveDisjointEvents(_ segments: [SegmentTable.SegmentRow]) -> Bool {
        zip(segments, segments.dropFirst()).allSatisfy { earlier, later in
            earlier.run.columns.eventStarts.last! < later.run.columns.eventStarts.first!
        }
    }

    private static func slots(_ window: ClosedRange<Int64>, _ resolution: Timespan) -> Int {
        guard resolution > .zero else { return Int.max }
        return Int((window.upperBound - window.lowerBound) / resolution.microseconds) + 1
    }

    /// Appends, per event of the segment inside [first, last], the admitted belief that wins.
    private static func selectMostRecent(
        in segment: SegmentTable.SegmentRow, sensorID: SensorID, first: Int64, last: Int64, filter: BeliefFilter,
        rank: Int, resolution: Timespan, into selected: inout [Belief]
    ) {
        let run = segment.run
        run.columns.eventStarts.withUnsafeBufferPointer { events in
            var index = lowerBound(of: first, in: events)
            while index < events.count && events[index] <= last {
                let event = events[index]
                var best: Belief?
                while index < events.count && events[index] == event {
                    let belief = run.belief(at: index, sensorID: sensorID, sourceID: segment.sourceID)
                    if filter.admits(belief, eventResolution: resolution),
                       best.map({ BeliefSelection.prefers(belief, rank: rank, over: $0, rank: rank) }) ?? true {
                        best = belief
                    }
                    index += 1
                }
                if let best { selected.append(best) }
            }
        }
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
