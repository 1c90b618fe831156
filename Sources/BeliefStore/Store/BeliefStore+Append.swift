import Beliefs
import GRDB

extension BeliefStore {
    /// Appends a batch inside the caller's transaction (see `write`), so that beliefs and other rows
    /// commit together; throws before writing anything when any belief is refused.
    @discardableResult
    public func append(_ beliefs: [Belief], in db: Database) throws -> AppendReceipt {
        try Self.append(beliefs, configuration: configuration, in: db)
    }

    /// Validates and stores a batch inside the caller's transaction. Throws before writing anything
    /// when any belief is refused, so the caller's transaction (or savepoint) holds all of it or none.
    static func append(_ beliefs: [Belief], configuration: Configuration, in db: Database) throws -> AppendReceipt {
        guard !beliefs.isEmpty else { return AppendReceipt(beliefs: 0, segmentsWritten: 0, tailBeliefs: 0) }
        let groups = try validatedGroups(beliefs, in: db)

        var segmentsWritten = 0
        var tailBeliefs = 0
        for group in groups {
            try checkNotStored(group, in: db)
            if group.run.count >= configuration.directSegmentMinimum {
                segmentsWritten += try SegmentTable.insertChunked(
                    group.run, maximum: configuration.maximumSegmentBeliefs, sensorID: group.sensorID, sourceID: group.sourceID, in: db
                )
            } else {
                for index in 0..<group.run.count {
                    try SegmentTable.insertTail(group.run.belief(at: index, sensorID: group.sensorID, sourceID: group.sourceID), in: db)
                }
                tailBeliefs += group.run.count
            }
        }
        return AppendReceipt(beliefs: beliefs.count, segmentsWritten: segmentsWritten, tailBeliefs: tailBeliefs)
    }

    /// Beliefs of one sensor and one source, sorted and checked.
    struct Group {
        let sensorID: SensorID
        let sourceID: SourceID
        let run: BeliefRun
    }

    /// Checks every belief against its sensor and source, and groups them by the two. Batches are
    /// usually one sensor and source throughout, so lookups happen only where the pair changes.
    private static func validatedGroups(_ beliefs: [Belief], in db: Database) throws -> [Group] {
        var resolutions: [SensorID: Timespan] = [:]
        var knownSources: Set<SourceID> = []
        var groupIndex: [GroupKey: Int] = [:]
        var keys: [GroupKey] = []
        var members: [[Belief]] = []
        var currentKey: GroupKey?
        var currentGroup = 0
        var resolution = Timespan.zero

        for (index, belief) in beliefs.enumerated() {
            let key = GroupKey(sensorID: belief.sensorID, sourceID: belief.sourceID)
            if key != currentKey {
                resolution = try resolutions[key.sensorID] ?? Self.resolution(of: key.sensorID, in: db)
                resolutions[key.sensorID] = resolution
                if !knownSources.contains(key.sourceID) {
                    guard try Bool.fetchOne(
                        db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM data_source WHERE id = ?)"), arguments: [key.sourceID]
                    ) == true else {
                        throw BeliefStoreError.unknownSource(key.sourceID)
                    }
                    knownSources.insert(key.sourceID)
                }
                if let existing = groupIndex[key] {
                    currentGroup = existing
                } else {
                    currentGroup = keys.count
                    groupIndex[key] = currentGroup
                    keys.append(key)
                    members.append([])
                }
                currentKey = key
            }
            guard belief.value.isFinite else {
                throw BeliefStoreError.nonFiniteValue(index: index, sensorID: belief.sensorID, eventStart: belief.eventStart)
            }
            guard belief.cumulativeProbability >= 0, belief.cumulativeProbability <= 1 else {
                throw BeliefStoreError.invalidProbability(index: index, probability: belief.cumulativeProbability)
            }
            guard Sensor.isOnGrid(belief.eventStart, eventResolution: resolution) else {
                throw BeliefStoreError.offGrid(
                    index: index, sensorID: belief.sensorID, eventStart: belief.eventStart, resolution: resolution
                )
            }
            members[currentGroup].append(belief)
        }

        return try zip(keys, members).map { key, groupBeliefs in
            let run = BeliefRun(sorting: groupBeliefs)
            for index in 1..<max(run.count, 1) where run.key(at: index) == run.key(at: index - 1) {
                let belief = run.belief(at: index, sensorID: key.sensorID, sourceID: key.sourceID)
                let position = beliefs.firstIndex(of: belief) ?? index
                throw BeliefStoreError.duplicateInBatch(
                    index: position, sensorID: key.sensorID, eventStart: belief.eventStart, beliefTime: belief.beliefTime
                )
            }
            return Group(sensorID: key.sensorID, sourceID: key.sourceID, run: run)
        }
    }

    private struct GroupKey: Hashable {
        let sensorID: SensorID
        let sourceID: SourceID
    }

    /// Refuses the group when any of its beliefs is stored already, in the tail or in a segment. Only
    /// segments whose event and belief-time bounds overlap the group's are decoded: new data costs one
    /// index lookup.
    private static func checkNotStored(_ group: Group, in db: Database) throws {
        let columns = group.run.columns
        let firstEvent = columns.eventStarts.first!
        let lastEvent = columns.eventStarts.last!
        let beliefTimes = columns.beliefTimes.min()!...columns.beliefTimes.max()!
        let candidates = try SegmentTable.segments(
            sensorID: group.sensorID, firstEvent: firstEvent, lastEvent: lastEvent, sources: [group.sourceID],
            beliefTimes: beliefTimes, in: db
        )
        let tail = try SegmentTable.tail(
            sensorID: group.sensorID, firstEvent: firstEvent, lastEvent: lastEvent, sourceID: group.sourceID, in: db
        )
        guard !candidates.isEmpty || !tail.isEmpty else { return }

        var stored: Set<BeliefKey> = []
        for segment in candidates {
            for index in 0..<segment.run.count { stored.insert(segment.run.key(at: index)) }
        }
        for belief in tail {
            stored.insert(BeliefKey(
                eventStart: belief.eventStart.microsecondsSinceEpoch, beliefTime: belief.beliefTime.microsecondsSinceEpoch,
                probability: belief.cumulativeProbability
            ))
        }
        let repeated = (0..<group.run.count).filter { stored.contains(group.run.key(at: $0)) }
        if let first = repeated.first {
            let belief = group.run.belief(at: first, sensorID: group.sensorID, sourceID: group.sourceID)
            throw BeliefStoreError.alreadyStored(
                count: repeated.count, sensorID: group.sensorID, eventStart: belief.eventStart, beliefTime: belief.beliefTime
            )
        }
    }
}
