import BeliefStore
import Beliefs
import GRDB
import Testing

/// The belief journal: the stream the fleet uplink forwards.
@Suite struct JournalTests {
    /// Every append the journal holds, as beliefs of its sensor and source.
    func journalled(_ entries: [JournalEntry], resolution: Timespan = StoreFixture.resolution) -> [Belief] {
        entries.flatMap { entry -> [Belief] in
            guard case let .append(sensor, source, columns) = entry.change else { return [] }
            return (0..<columns.count).map { index in
                Belief(
                    sensorID: sensor, eventStart: Instant(microsecondsSinceEpoch: columns.eventStarts[index]),
                    beliefTime: Instant(microsecondsSinceEpoch: columns.beliefTimes[index]), sourceID: source,
                    cumulativeProbability: columns.probabilities[index], value: columns.values[index]
                )
            }
        }
    }

    func sorted(_ beliefs: [Belief]) -> [Belief] {
        beliefs.sorted { ($0.sensorID, $0.sourceID, $0.eventStart, $0.beliefTime) < ($1.sensorID, $1.sourceID, $1.eventStart, $1.beliefTime) }
    }

    @Test func nothingIsJournalledUntilTheJournalStarts() throws {
        let fixture = try StoreFixture()
        try fixture.store.appendNow(fixture.measurements(0..<10))
        try fixture.store.deleteBeliefs(.measurements)
        #expect(try fixture.count("belief_journal") == 0)
        #expect(try fixture.store.journalStream() == nil)
    }

    @Test func startingHoldsEverythingStoredAfterADeletionOfAll() throws {
        let fixture = try StoreFixture()
        let sealed = fixture.measurements(0..<300)
        let tail = fixture.measurements(0..<5, sensor: fixture.other)
        try fixture.store.appendNow(sealed)
        try fixture.store.appendNow(tail)
        let (stream, started) = try fixture.store.startJournal(now: StoreFixture.origin)
        #expect(started)
        #expect(try fixture.store.startJournal(now: StoreFixture.origin) == (stream, false), "a running journal stays as it is")

        let entries = try fixture.store.journalEntries(after: 0, beliefLimit: 1_000_000)
        #expect(entries.first?.change == .deleteAll)
        #expect(sorted(journalled(entries)) == sorted(sealed + tail))
        #expect(entries.map(\.sequence) == entries.map(\.sequence).sorted())
    }

    @Test func appendsAndDeletionsFollowInTheOrderTheyWereStored() throws {
        let fixture = try StoreFixture()
        let stream = try fixture.store.startJournal(now: StoreFixture.origin).stream
        try fixture.store.appendNow(fixture.measurements(0..<3))
        try fixture.store.appendNow(fixture.forecasts(0..<3, madeAt: StoreFixture.origin - .hours(1), value: 2))
        try fixture.store.deleteBeliefs(.prognoses, sensorIDs: [fixture.meter])
        try fixture.store.deleteBeliefs(.measurements)
        try fixture.site.pool.write { db in try SensorCatalog.deleteSensors(ids: [fixture.other], in: db) }
        try fixture.store.database.write { db in _ = try fixture.store.deleteAllBeliefs(in: db) }

        let entries = try fixture.store.journalEntries(after: 0, beliefLimit: 1_000_000)
        let changes = entries.dropFirst().map(\.change)
        #expect(changes.count == 6)
        #expect(changes[0] == .append(sensorID: fixture.meter, sourceID: fixture.gateway, columns: SegmentColumns(
            eventStarts: (0..<3).map { StoreFixture.slot($0).microsecondsSinceEpoch },
            beliefTimes: (0..<3).map { (StoreFixture.slot($0) + .minutes(20)).microsecondsSinceEpoch },
            probabilities: [0.5, 0.5, 0.5], values: [0, 0.001, 0.002]
        )))
        if case let .append(_, source, columns) = changes[1] {
            #expect(source == fixture.forecaster && columns.count == 3)
        } else {
            Issue.record("the forecasts are the second change, not \(changes[1])")
        }
        #expect(changes[2] == .delete(.prognoses, sensorID: fixture.meter))
        #expect(changes[3] == .delete(.measurements, sensorID: nil))
        #expect(changes[4] == .deleteSensor(fixture.other), "the trigger journals a deleted sensor")
        #expect(changes[5] == .deleteAll)
        #expect(try fixture.store.journalStream()?.id == stream.id)
    }

    @Test func aRefusedBatchJournalsNothingAndSkippedDuplicatesAreNotJournalledTwice() throws {
        let fixture = try StoreFixture()
        try fixture.store.startJournal(now: StoreFixture.origin)
        try fixture.store.appendNow(fixture.measurements(0..<10))
        let before = try fixture.count("belief_journal")
        #expect(throws: BeliefStoreError.self) { try fixture.store.appendNow(fixture.measurements(5..<15)) }
        #expect(try fixture.count("belief_journal") == before)
        try fixture.store.database.write { db in
            _ = try fixture.store.append(fixture.measurements(5..<15), in: db, duplicates: .skip)
        }
        let entries = try fixture.store.journalEntries(after: 0, beliefLimit: 1_000_000)
        #expect(sorted(journalled(entries)) == sorted(fixture.measurements(0..<15)), "each belief once")
    }

    @Test func forwardingMovesThePositionOnlyForwardAndDropsWhatWasForwarded() async throws {
        let fixture = try StoreFixture()
        let stream = try fixture.store.startJournal(now: StoreFixture.origin).stream
        for day in 0..<4 { try fixture.store.appendNow(fixture.measurements((day * 96)..<((day + 1) * 96))) }
        let entries = try fixture.store.journalEntries(after: 0, beliefLimit: 97)
        #expect(entries.count == 2, "entries up to the limit: the delete-all (counted as one) and one day")
        let backlog = try fixture.store.journalBacklog(after: 0)
        #expect(backlog.beliefs == 4 * 96 + 1 && backlog.entries == 5)

        #expect(try await fixture.store.markForwarded(through: entries.last!.sequence, beliefs: 96, streamID: stream.id, at: StoreFixture.origin))
        #expect(try await !fixture.store.markForwarded(through: 1, beliefs: 0, streamID: stream.id, at: StoreFixture.origin), "never back")
        #expect(try await !fixture.store.markForwarded(through: 99, beliefs: 0, streamID: "another", at: StoreFixture.origin))
        let after = try #require(try fixture.store.journalStream())
        #expect(after.forwardedThrough == entries.last!.sequence && after.forwardedBeliefs == 96 && after.lastError == nil)
        #expect(try fixture.count("belief_journal") == 3)
        #expect(try fixture.store.journalBacklog(after: after.forwardedThrough).beliefs == 3 * 96)

        try await fixture.store.markForwardingFailed("connection refused", streamID: stream.id, at: StoreFixture.origin + .minutes(1))
        #expect(try fixture.store.journalStream()?.lastError == "connection refused")
    }

    @Test func stoppingDropsTheJournalAndAStartAfterwardsIsANewStream() throws {
        let fixture = try StoreFixture()
        let first = try fixture.store.startJournal(now: StoreFixture.origin).stream
        try fixture.store.appendNow(fixture.measurements(0..<10))
        #expect(try fixture.store.stopJournal() > 0)
        try fixture.store.appendNow(fixture.measurements(10..<20))
        #expect(try fixture.count("belief_journal") == 0)
        let second = try fixture.store.startJournal(now: StoreFixture.origin).stream
        #expect(second.id != first.id)
        #expect(sorted(journalled(try fixture.store.journalEntries(after: 0, beliefLimit: 1_000_000))) == fixture.measurements(0..<20))
    }
}
