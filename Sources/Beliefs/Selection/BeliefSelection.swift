/// Picks the beliefs that answer a GET: filter, then one belief per event (reference 14.4.5).
public enum BeliefSelection: Sendable {
    /// One belief per event start of a single sensor, sorted by event start, among those `filter` admits.
    ///
    /// Per event the winner has the lowest `sourceRank` (getPrognosis ranks user < scheduler < forecaster
    /// < script), then the latest belief time, then the cumulative probability closest to 0.5 (the point
    /// estimate), then the lowest source id; the remaining keys only make the answer independent of input
    /// order.
    public static func mostRecent(
        _ beliefs: some Sequence<Belief>, eventResolution: Timespan, filter: BeliefFilter,
        sourceRank: (SourceID) -> Int = { _ in 0 }
    ) -> [Belief] {
        var best: [Instant: (belief: Belief, rank: Int)] = [:]
        for belief in beliefs where filter.admits(belief, eventResolution: eventResolution) {
            let candidate = (belief: belief, rank: sourceRank(belief.sourceID))
            if let incumbent = best[belief.eventStart], !isPreferred(candidate, over: incumbent) { continue }
            best[belief.eventStart] = candidate
        }
        return best.values.map(\.belief).sorted { $0.eventStart < $1.eventStart }
    }

    /// `mostRecent` for beliefs already sorted by event start (as a store decodes them): one linear pass,
    /// no hashing, the same winner per event. Beliefs out of order give the answer of `mostRecent`.
    public static func mostRecent(
        sortedByEventStart beliefs: [Belief], eventResolution: Timespan, filter: BeliefFilter,
        sourceRank: (SourceID) -> Int = { _ in 0 }
    ) -> [Belief] {
        var sorted = true
        for index in beliefs.indices.dropFirst() where beliefs[index - 1].eventStart > beliefs[index].eventStart {
            sorted = false
            break
        }
        guard sorted else {
            return mostRecent(beliefs, eventResolution: eventResolution, filter: filter, sourceRank: sourceRank)
        }
        var result: [Belief] = []
        result.reserveCapacity(beliefs.count)
        var current: (belief: Belief, rank: Int)?
        for belief in beliefs where filter.admits(belief, eventResolution: eventResolution) {
            let candidate = (belief: belief, rank: sourceRank(belief.sourceID))
            if let incumbent = current {
                if incumbent.belief.eventStart != belief.eventStart {
                    result.append(incumbent.belief)
                    current = candidate
                } else if isPreferred(candidate, over: incumbent) {
                    current = candidate
                }
            } else {
                current = candidate
            }
        }
        if let current { result.append(current.belief) }
        return result
    }

    /// The beliefs whose events start in [start, end), in their original order.
    public static func window(_ beliefs: some Sequence<Belief>, start: Instant, end: Instant) -> [Belief] {
        beliefs.filter { start <= $0.eventStart && $0.eventStart < end }
    }

    /// Whether `a` (with its source's rank) wins over `b` for the same event: the order `mostRecent` uses.
    /// Public so that a store selecting straight from its columns picks the same winners.
    public static func prefers(_ a: Belief, rank rankA: Int, over b: Belief, rank rankB: Int) -> Bool {
        isPreferred((belief: a, rank: rankA), over: (belief: b, rank: rankB))
    }

    private static func isPreferred(_ a: (belief: Belief, rank: Int), over b: (belief: Belief, rank: Int)) -> Bool {
        if a.rank != b.rank { return a.rank < b.rank }
        if a.belief.beliefTime != b.belief.beliefTime { return a.belief.beliefTime > b.belief.beliefTime }
        let aDistance = (a.belief.cumulativeProbability - 0.5).magnitude
        let bDistance = (b.belief.cumulativeProbability - 0.5).magnitude
        if aDistance != bDistance { return aDistance < bDistance }
        if a.belief.sourceID != b.belief.sourceID { return a.belief.sourceID < b.belief.sourceID }
        if a.belief.cumulativeProbability != b.belief.cumulativeProbability {
            return a.belief.cumulativeProbability < b.belief.cumulativeProbability
        }
        if a.belief.value != b.belief.value { return a.belief.value < b.belief.value }
        return a.belief.sensorID < b.belief.sensorID
    }
}
