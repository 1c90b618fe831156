import BeliefStore
import Beliefs
import GRDB
import Testing

@Suite struct MaintenanceTests {
    static var smallSegments: BeliefStore.Configuration {
        var configuration = BeliefStore.Configuration()
        configuration.maximumSegmentBeliefs = 100
        configuration.sealThreshold = 10
        configuration.directSegmentMinimum = 20
        return configuration
    }

    @Test func sealingMovesTheTailIntoSegmentsAndChangesNoAnswer() throws {
        let fixture = try StoreFixture(configuration: Self.smallSegments)
        for slot in 0..<25 { try fixture.store.appendNow(fixture.measurements(slot..<(slot + 1))) }
        let before = try fixture.allBeliefs()
        let report = try fixture.store.sealTails()
        #expect(report.sealedBeliefs == 25)
        #expect(try fixture.count("belief_tail") == 0)
        #expect(try fixture.count("belief_segment") == 1)
        #expect(try fixture.allBeliefs() == before)
    }

    @Test func aTailBelowTheThresholdWaits() throws {
        let fixture = try StoreFixture(configuration: Self.smallSegments)
        try fixture.store.appendNow(fixture.measurements(0..<5))
        #expect(try fixture.store.sealTails().sealedBeliefs == 0)
        #expect(try fixture.count("belief_tail") == 5)
        #expect(try fixture.store.sealTails(minimumRows: 1).sealedBeliefs == 5)
    }

    @Test func oneReadingAtATimeDoesNotLeaveASegmentPerValue() throws {
        let fixture = try StoreFixture(configuration: Self.smallSegments)
        for slot in 0..<450 {
            try fixture.store.appendNow(fixture.measurements(slot..<(slot + 1)))
            if slot % 7 == 0 { try fixture.store.maintain() }
        }
        try fixture.store.sealTails(minimumRows: 1)
        let statistics = try fixture.store.statistics()
        #expect(statistics.beliefs == 450)
        #expect(statistics.segments <= 6, "450 beliefs in segments of at most 100")
        #expect(try fixture.allBeliefs() == fixture.measurements(0..<450))
    }

    @Test func compactionMergesNeighbouringSmallSegments() throws {
        let fixture = try StoreFixture(configuration: Self.smallSegments)
        for start in stride(from: 0, to: 200, by: 20) {
            try fixture.store.appendNow(fixture.measurements(start..<(start + 20)))
        }
        #expect(try fixture.count("belief_segment") == 10)
        let before = try fixture.allBeliefs()
        let report = try fixture.store.compact()
        #expect(report.segmentsMerged == 10)
        #expect(try fixture.count("belief_segment") == 2)
        #expect(try fixture.allBeliefs() == before)
        #expect(try fixture.store.compact().segmentsMerged == 0, "nothing left to merge")
    }

    @Test func sealedAndCompactedBeliefsStillRefuseDuplicates() throws {
        let fixture = try StoreFixture(configuration: Self.smallSegments)
        for slot in 0..<30 { try fixture.store.appendNow(fixture.measurements(slot..<(slot + 1))) }
        try fixture.store.maintain()
        #expect(throws: BeliefStoreError.self) { try fixture.store.appendNow(fixture.measurements(12..<13)) }
    }
}
