import BeliefStore
import Beliefs
import Foundation
import GRDB
import Testing

@Suite struct AppendTests {
    @Test func aLargeBatchBecomesSegmentsAndReadsBackExactly() throws {
        var configuration = BeliefStore.Configuration()
        configuration.maximumSegmentBeliefs = 2048
        let fixture = try StoreFixture(configuration: configuration)
        let beliefs = fixture.measurements(0..<5000) { sin(Double($0) / 20) * 3.14159 }
        let receipt = try fixture.store.appendNow(beliefs)
        #expect(receipt.beliefs == 5000)
        #expect(receipt.segmentsWritten == 3)
        #expect(receipt.tailBeliefs == 0)
        #expect(try fixture.allBeliefs() == beliefs)
        #expect(try fixture.count("belief_tail") == 0)
    }

    @Test func smallAppendsLandInTheTail() throws {
        let fixture = try StoreFixture()
        let receipt = try fixture.store.appendNow(fixture.measurements(0..<3))
        #expect(receipt.tailBeliefs == 3)
        #expect(receipt.segmentsWritten == 0)
        #expect(try fixture.count("belief_segment") == 0)
        #expect(try fixture.allBeliefs() == fixture.measurements(0..<3))
    }

    @Test func unsortedAndMixedBatchesAreGroupedPerSensorAndSource() throws {
        let fixture = try StoreFixture()
        let mine = fixture.measurements(0..<100)
        let theirs = fixture.measurements(0..<100, sensor: fixture.other)
        let batch = zip(mine, theirs).flatMap { [$1, $0] }.reversed()
        try fixture.store.appendNow(Array(batch))
        #expect(try fixture.allBeliefs() == mine)
        #expect(try fixture.allBeliefs(sensor: fixture.other) == theirs)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let label: String
        let corrupt: @Sendable (inout Belief) -> Void
        var testDescription: String { label }
    }

    static let refusals: [Refusal] = [
        .init(label: "NaN value") { $0.value = .nan },
        .init(label: "infinite value") { $0.value = -.infinity },
        .init(label: "unknown sensor") { $0.sensorID = 999 },
        .init(label: "unknown source") { $0.sourceID = 999 },
        .init(label: "off the grid") { $0.eventStart = $0.eventStart + .minutes(5) },
        .init(label: "probability above 1") { $0.cumulativeProbability = 1.5 },
        .init(label: "NaN probability") { $0.cumulativeProbability = .nan },
    ]

    @Test(arguments: refusals, [3, 500])
    func oneBadBeliefRefusesTheWholeBatch(_ refusal: Refusal, size: Int) throws {
        let fixture = try StoreFixture()
        var batch = fixture.measurements(0..<size)
        refusal.corrupt(&batch[size - 2])
        #expect(throws: BeliefStoreError.self) { try fixture.store.appendNow(batch) }
        #expect(try fixture.count("belief_segment") == 0)
        #expect(try fixture.count("belief_tail") == 0)
    }

    @Test func errorsNameTheProblem() throws {
        let fixture = try StoreFixture()
        var batch = fixture.measurements(0..<4)
        batch[2].value = .nan
        #expect(throws: BeliefStoreError.nonFiniteValue(index: 2, sensorID: fixture.meter, eventStart: StoreFixture.slot(2))) {
            try fixture.store.appendNow(batch)
        }
        batch[2].value = 1
        batch[3].eventStart = StoreFixture.slot(3) + .minutes(1)
        #expect(throws: BeliefStoreError.offGrid(index: 3, sensorID: fixture.meter, eventStart: batch[3].eventStart, resolution: .minutes(15))) {
            try fixture.store.appendNow(batch)
        }
    }

    @Test(arguments: [3, 500])
    func aBeliefRepeatedInOneBatchIsRefused(size: Int) throws {
        let fixture = try StoreFixture()
        var batch = fixture.measurements(0..<size)
        batch.append(batch[1])
        #expect(throws: BeliefStoreError.self) { try fixture.store.appendNow(batch) }
        #expect(try fixture.allBeliefs().isEmpty)
    }

    @Test(arguments: [3, 500])
    func repostingStoredBeliefsIsReportedAndStoresNothing(size: Int) throws {
        let fixture = try StoreFixture()
        try fixture.store.appendNow(fixture.measurements(0..<size))
        // The repeat overlaps by one belief; its new beliefs must not be stored either.
        let overlapping = fixture.measurements((size - 1)..<(size + 10))
        #expect(throws: BeliefStoreError.alreadyStored(
            count: 1, sensorID: fixture.meter, eventStart: StoreFixture.slot(size - 1),
            beliefTime: StoreFixture.slot(size) + .minutes(5)
        )) {
            try fixture.store.appendNow(overlapping)
        }
        #expect(try fixture.allBeliefs().count == size)
    }

    @Test(arguments: [3, 500])
    func skippingDuplicatesStoresTheRestAndCountsWhatWasThere(size: Int) throws {
        let fixture = try StoreFixture()
        try fixture.store.appendNow(fixture.measurements(0..<size))
        let overlapping = fixture.measurements((size - 2)..<(size + 10))
        let receipt = try fixture.store.database.write { db in
            try fixture.store.append(overlapping, in: db, duplicates: .skip)
        }
        #expect(receipt.skipped == 2)
        #expect(receipt.beliefs == 10)
        #expect(try fixture.allBeliefs().count == size + 10)
        // Everything stored already: nothing to add, nothing refused.
        let again = try fixture.store.database.write { db in try fixture.store.append(overlapping, in: db, duplicates: .skip) }
        #expect(again.skipped == 12 && again.beliefs == 0)
        #expect(try fixture.allBeliefs().count == size + 10)
    }

    @Test func theSameEventWithAnotherBeliefTimeOrSourceIsANewBelief() throws {
        let fixture = try StoreFixture()
        try fixture.store.appendNow(fixture.measurements(0..<200))
        var later = fixture.measurements(0..<200)
        for index in later.indices { later[index].beliefTime = later[index].beliefTime + .hours(1) }
        try fixture.store.appendNow(later)
        try fixture.store.appendNow(fixture.measurements(0..<200, source: fixture.scheduler))
        var otherProbability = fixture.measurements(0..<2)
        for index in otherProbability.indices { otherProbability[index].cumulativeProbability = 0.9 }
        try fixture.store.appendNow(otherProbability)
        #expect(try fixture.allBeliefs().count == 602)
    }

    @Test func concurrentAppendsAllLandAndFailuresStayAlone() async throws {
        let fixture = try StoreFixture()
        let store = fixture.store
        let batches = (0..<200).map { fixture.measurements($0..<($0 + 1)) }
        var bad = fixture.measurements(500..<501)
        bad[0].value = .nan
        let badBatch = bad
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for batch in batches { group.addTask { (try? await store.append(batch)) != nil } }
            group.addTask { (try? await store.append(badBatch)) != nil }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 }.count == 200)
        #expect(try fixture.allBeliefs() == fixture.measurements(0..<200))
    }

    @Test func deletingASensorTakesItsBeliefs() throws {
        let fixture = try StoreFixture()
        try fixture.store.appendNow(fixture.measurements(0..<500) + fixture.measurements(600..<602))
        try fixture.site.pool.write { db in try SensorCatalog.deleteSensors(ids: [fixture.meter], in: db) }
        #expect(try fixture.count("belief_segment") == 0)
        #expect(try fixture.count("belief_tail") == 0)
    }
}
