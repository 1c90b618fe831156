import Beliefs

/// Beliefs of one sensor and one source as columns, sorted by (event start, belief time, probability):
/// the shape of a segment, and of a group of beliefs on their way into one.
struct BeliefRun {
    var columns: SegmentColumns

    init(columns: SegmentColumns) {
        self.columns = columns
    }

    /// Sorts beliefs of one sensor and source into a run.
    init(sorting beliefs: [Belief]) {
        var isSorted = true
        for index in beliefs.indices.dropFirst() where Self.precedes(beliefs[index], beliefs[index - 1]) {
            isSorted = false
            break
        }
        let sorted = isSorted ? beliefs : beliefs.sorted(by: Self.precedes)
        columns = SegmentColumns()
        reserve(sorted.count)
        for belief in sorted {
            columns.eventStarts.append(belief.eventStart.microsecondsSinceEpoch)
            columns.beliefTimes.append(belief.beliefTime.microsecondsSinceEpoch)
            columns.probabilities.append(belief.cumulativeProbability)
            columns.values.append(belief.value)
        }
    }

    var count: Int { columns.eventStarts.count }

    /// The order of a run: by `BeliefKey`.
    static func precedes(_ a: Belief, _ b: Belief) -> Bool {
        BeliefKey(a) < BeliefKey(b)
    }

    func key(at index: Int) -> BeliefKey {
        BeliefKey(
            eventStart: columns.eventStarts[index], beliefTime: columns.beliefTimes[index],
            probability: columns.probabilities[index]
        )
    }

    func belief(at index: Int, sensorID: SensorID, sourceID: SourceID) -> Belief {
        Belief(
            sensorID: sensorID, eventStart: Instant(microsecondsSinceEpoch: columns.eventStarts[index]),
            beliefTime: Instant(microsecondsSinceEpoch: columns.beliefTimes[index]), sourceID: sourceID,
            cumulativeProbability: columns.probabilities[index], value: columns.values[index]
        )
    }

    /// The rows at `range` as a run of their own.
    func slice(_ range: Range<Int>) -> BeliefRun {
        BeliefRun(columns: SegmentColumns(
            eventStarts: Array(columns.eventStarts[range]), beliefTimes: Array(columns.beliefTimes[range]),
            probabilities: Array(columns.probabilities[range]), values: Array(columns.values[range])
        ))
    }

    /// The rows whose indices pass `keep`, as a run of their own.
    func filter(_ keep: (Int) -> Bool) -> BeliefRun {
        var result = BeliefRun(columns: SegmentColumns())
        for index in 0..<count where keep(index) {
            result.append(from: self, at: index)
        }
        return result
    }

    /// Merges two sorted runs into one sorted run.
    static func merge(_ a: BeliefRun, _ b: BeliefRun) -> BeliefRun {
        var result = BeliefRun(columns: SegmentColumns())
        result.reserve(a.count + b.count)
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            let takeA = j == b.count || (i < a.count && !(b.key(at: j) < a.key(at: i)))
            if takeA {
                result.append(from: a, at: i)
                i += 1
            } else {
                result.append(from: b, at: j)
                j += 1
            }
        }
        return result
    }

    private mutating func reserve(_ capacity: Int) {
        columns.eventStarts.reserveCapacity(capacity)
        columns.beliefTimes.reserveCapacity(capacity)
        columns.probabilities.reserveCapacity(capacity)
        columns.values.reserveCapacity(capacity)
    }

    private mutating func append(from run: BeliefRun, at index: Int) {
        columns.eventStarts.append(run.columns.eventStarts[index])
        columns.beliefTimes.append(run.columns.beliefTimes[index])
        columns.probabilities.append(run.columns.probabilities[index])
        columns.values.append(run.columns.values[index])
    }

    /// Cuts the run into full pieces of `maximum` rows and a remainder last, so that a tail sealed into
    /// the last segment later fills it up instead of leaving half-empty segments behind.
    func chunks(maximum: Int) -> [BeliefRun] {
        guard count > maximum else { return count == 0 ? [] : [self] }
        return stride(from: 0, to: count, by: maximum).map { slice($0..<min($0 + maximum, count)) }
    }
}

/// What makes a belief the same belief, within one sensor and source.
struct BeliefKey: Hashable, Comparable {
    let eventStart: Int64
    let beliefTime: Int64
    let probability: Double

    init(eventStart: Int64, beliefTime: Int64, probability: Double) {
        self.eventStart = eventStart
        self.beliefTime = beliefTime
        self.probability = probability
    }

    init(_ belief: Belief) {
        self.init(
            eventStart: belief.eventStart.microsecondsSinceEpoch, beliefTime: belief.beliefTime.microsecondsSinceEpoch,
            probability: belief.cumulativeProbability
        )
    }

    static func < (a: BeliefKey, b: BeliefKey) -> Bool {
        if a.eventStart != b.eventStart { return a.eventStart < b.eventStart }
        if a.beliefTime != b.beliefTime { return a.beliefTime < b.beliefTime }
        return a.probability < b.probability
    }
}
