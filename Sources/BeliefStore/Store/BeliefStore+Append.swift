import Beliefs
import Foundation
import GRDB

extension BeliefStore {
    /// Appends a batch inside the caller's transaction (see `write`), so that beliefs and other rows
    /// commit together; throws before writing anything when any belief is refused.
    @discardableResult
    public func append(_ beliefs: [Belief], in db: Database, duplicates: DuplicatePolicy = .refuse) throws -> AppendReceipt {
        try Self.append(beliefs, configuration: configuration, duplicates: duplicates, in: db)
    }

    /// Validates and stores a batch inside the caller's transaction. Throws before writing anything
    /// when any belief is refused, so the caller's transaction (or savepoint) holds all of it or none.
    static func append(
        _ beliefs: [Belief], configuration: Configuration, duplicates: DuplicatePolicy = .refuse, in db: Database
    ) throws -> AppendReceipt {
        guard !beliefs.isEmpty else { return AppendReceipt(beliefs: 0, segmentsWritten: 0, tailBeliefs: 0) }
        var groups = try validatedGroups(beliefs, in: db)
        var skipped = 0
        for index in groups.indices {
            let fresh = try unstored(groups[index], duplicates: duplicates, in: db)
            skipped += groups[index].run.count - fresh.run.count
            groups[index] = fresh
        }

        var segmentsWritten = 0
        var tailBeliefs = 0
        let journalling = try journalRuns(in: db)
        let now = Instant.now()
        for group in groups where group.run.count > 0 {
            if group.run.count >= configuration.directSegmentMinimum {
                // A chunk is encoded once, for its segment and, with the journal running, for its journal entry.
                for chunk in group.run.chunks(maximum: configuration.maximumSegmentBeliefs) {
                    let encoded = Data(SegmentCodec.encode(chunk.columns))
                    try SegmentTable.insert(chunk, encoded: encoded, sensorID: group.sensorID, sourceID: group.sourceID, in: db)
                    if journalling {
                        try journalAppend(encoded, count: chunk.count, sensorID: group.sensorID, sourceID: group.sourceID, now: now, in: db)
                    }
                    segmentsWritten += 1
                }
            } else {
                if journalling {
                    try journalAppend(group.run, sensorID: group.sensorID, sourceID: group.sourceID, now: now, in: db)
                }
                for index in 0..<group.run.count {
                    try SegmentTable.insertTail(group.run.belief(at: index, sensorID: group.sensorID, sourceID: group.sourceID), in: db)
                }
                tailBeliefs += group.run.count
            }
        }
        var receipt = AppendReceipt(beliefs: beliefs.count - skipped, segmentsWritten: segmentsWritten, tailBeliefs: tailBeliefs)
        receipt.skipped = skipped
        return receipt
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
            // SQLite keeps a REAL -0.0 of the tail as 0 while a segment keeps its sign: one zero for both, so
            // that a belief reads (and is forwarded) the same wherever it lies.
            var stored = belief
            if stored.value == 0 { stored.value = 0 }
            if stored.cumulativeProbability == 0 { stored.cumulativeProbability = 0 }
            members[currentGroup].append(stored)
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

    /// The group without the beliefs stored already, in the tail or in a segment; with `.refuse`, the
    /// group is refused instead when it has any. Only segments whose event and belief-time bounds
    /// overlap the group's are decoded: new data costs one index lookup.
    private static func unstored(_ group: Group, duplicates: DuplicatePolicy, in db: Database) throws -> Group {
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
        guard !candidates.isEmpty || !tail.isEmpty else { return group }

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
        guard let first = repeated.first else { return group }
        switch duplicates {
        case .refuse:
            let belief = group.run.belief(at: first, sensorID: group.sensorID, sourceID: group.sourceID)
            throw BeliefStoreError.alreadyStored(
                count: repeated.count, sensorID: group.sensorID, eventStart: belief.eventStart, beliefTime: belief.beliefTime
            )
        case .skip:
            let fresh = (0..<group.run.count).filter { !stored.contains(group.run.key(at: $0)) }
                .map { group.run.belief(at: $0, sensorID: group.sensorID, sourceID: group.sourceID) }
            return Group(sensorID: group.sensorID, sourceID: group.sourceID, run: BeliefRun(sorting: fresh))
        }
    }
}
