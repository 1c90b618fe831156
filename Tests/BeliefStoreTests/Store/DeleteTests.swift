import BeliefStore
import Beliefs
import GRDB
import Testing

@Suite struct DeleteTests {
    /// Measurements and forecasts of the same slots, some in one mixed segment, some in the tail.
    func mixedFixture() throws -> StoreFixture {
        let fixture = try StoreFixture()
        let measurements = fixture.measurements(0..<200)
        let forecasts = fixture.forecasts(0..<200, madeAt: StoreFixture.slot(0) - .hours(1), value: 5)
        // One source for both kinds, so that they share segments that must be rewritten.
        let mixed = measurements + forecasts.map { var belief = $0; belief.sourceID = fixture.gateway; return belief }
        try fixture.store.appendNow(mixed)
        try fixture.store.appendNow(fixture.measurements(300..<302))
        try fixture.store.appendNow(fixture.forecasts(300..<302, madeAt: StoreFixture.slot(0), value: 6))
        try fixture.store.appendNow(fixture.measurements(0..<100, sensor: fixture.other))
        return fixture
    }

    @Test func deletingMeasurementsKeepsPrognoses() throws {
        let fixture = try mixedFixture()
        let deleted = try fixture.store.deleteBeliefs(.measurements, sensorIDs: [fixture.meter])
        #expect(deleted == 202)
        let left = try fixture.allBeliefs()
        #expect(left.count == 202)
        #expect(left.allSatisfy { $0.horizon(eventResolution: StoreFixture.resolution) > .zero })
        #expect(try fixture.allBeliefs(sensor: fixture.other).count == 100, "other sensors untouched")
    }

    @Test func deletingPrognosesKeepsMeasurements() throws {
        let fixture = try mixedFixture()
        #expect(try fixture.store.deleteBeliefs(.prognoses, sensorIDs: [fixture.meter]) == 202)
        #expect(try fixture.allBeliefs() == fixture.measurements(0..<200) + fixture.measurements(300..<302))
    }

    @Test func deletingForEverySensor() throws {
        let fixture = try mixedFixture()
        #expect(try fixture.store.deleteBeliefs(.measurements) == 302)
        #expect(try fixture.allBeliefs(sensor: fixture.other).isEmpty)
        #expect(try fixture.store.deleteBeliefs(.prognoses) == 202)
        #expect(try fixture.store.statistics().beliefs == 0)
        #expect(try fixture.count("belief_segment") == 0)
    }

    @Test func deletingFromAnUnknownSensorIsReported() throws {
        let fixture = try mixedFixture()
        #expect(throws: BeliefStoreError.unknownSensor(404)) { try fixture.store.deleteBeliefs(.measurements, sensorIDs: [404]) }
        #expect(try fixture.store.statistics().beliefs == 504, "nothing deleted")
    }
}
