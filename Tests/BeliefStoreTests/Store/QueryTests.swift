import BeliefStore
import Beliefs
import Foundation
import GRDB
import Testing

@Suite struct QueryTests {
    @Test func theWindowIncludesItsStartAndExcludesItsEnd() throws {
        let fixture = try StoreFixture()
        try fixture.store.appendNow(fixture.measurements(0..<3000))
        let found = try fixture.store.beliefs(sensorID: fixture.meter, from: StoreFixture.slot(1000), to: StoreFixture.slot(2100))
        #expect(found.first?.eventStart == StoreFixture.slot(1000))
        #expect(found.last?.eventStart == StoreFixture.slot(2099))
        #expect(found.count == 1100)
        #expect(try fixture.store.beliefs(sensorID: fixture.meter, from: StoreFixture.slot(5), to: StoreFixture.slot(5)).isEmpty)
    }

    @Test func segmentsAndTailAreMergedInEventOrder() throws {
        let fixture = try StoreFixture()
        try fixture.store.appendNow(fixture.measurements(0..<100))
        for slot in 100..<110 { try fixture.store.appendNow(fixture.measurements(slot..<(slot + 1))) }
        try fixture.store.appendNow(fixture.measurements(110..<300))
        let found = try fixture.store.mostRecentBeliefs(sensorID: fixture.meter, from: StoreFixture.slot(0), to: StoreFixture.slot(300))
        #expect(found == fixture.measurements(0..<300))
    }

    @Test func horizonPriorAndSourceFiltersApplyBeforeTheMostRecentIsChosen() throws {
        let fixture = try StoreFixture()
        let dayBefore = StoreFixture.slot(0) - .hours(24)
        let sixHoursBefore = StoreFixture.slot(0) - .hours(6)
        try fixture.store.appendNow(fixture.forecasts(0..<96, madeAt: dayBefore, value: 1))
        try fixture.store.appendNow(fixture.forecasts(0..<96, madeAt: sixHoursBefore, value: 2))
        try fixture.store.appendNow(fixture.measurements(0..<96) { _ in 3 })
        // The first hour: there the six-hour forecasts are made less than 24 h ahead, the others more.
        let window = (from: StoreFixture.slot(0), to: StoreFixture.slot(4))

        func values(_ filter: BeliefFilter) throws -> Set<Double> {
            Set(try fixture.store.mostRecentBeliefs(sensorID: fixture.meter, from: window.from, to: window.to, filter: filter).map(\.value))
        }
        #expect(try values(.all) == [3])
        #expect(try values(BeliefFilter(horizon: .zero + .minutes(1))) == [2])
        #expect(try values(BeliefFilter(horizon: .hours(24) + .minutes(15))) == [1])
        #expect(try values(BeliefFilter(prior: sixHoursBefore)) == [1])
        #expect(try values(BeliefFilter(prior: sixHoursBefore + .seconds(1))) == [2])
        #expect(try values(BeliefFilter(sources: [fixture.gateway])) == [3])
        #expect(try values(BeliefFilter(sources: [])) == [])
        #expect(try values(BeliefFilter(prior: dayBefore)).isEmpty)
    }

    @Test func sourceRankPrefersAUsersPrognosisOverANewerForecast() throws {
        let fixture = try StoreFixture()
        try fixture.store.appendNow(fixture.measurements(0..<4, source: fixture.gateway) { _ in 7 })
        try fixture.store.appendNow(fixture.forecasts(0..<4, madeAt: StoreFixture.slot(10), value: 9))
        let ranked = try fixture.store.mostRecentBeliefs(
            sensorID: fixture.meter, from: StoreFixture.slot(0), to: StoreFixture.slot(4),
            sourceRank: { $0 == fixture.gateway ? 0 : 1 }
        )
        #expect(ranked.map(\.value) == [7, 7, 7, 7])
    }

    @Test func timeseriesAlignsGapsAndResamples() throws {
        let fixture = try StoreFixture()
        try fixture.store.appendNow(fixture.measurements(0..<4) { Double($0) } + fixture.measurements(6..<8) { Double($0) })
        let series = try fixture.store.timeseries(sensorID: fixture.meter, from: StoreFixture.slot(0), to: StoreFixture.slot(8))
        #expect(series.values == [0, 1, 2, 3, nil, nil, 6, 7])
        let hourly = try fixture.store.timeseries(
            sensorID: fixture.meter, from: StoreFixture.slot(0), to: StoreFixture.slot(8), resolution: .hours(1)
        )
        #expect(hourly.values == [1.5, 6.5])
        #expect(throws: ResampleError.self) {
            try fixture.store.timeseries(sensorID: fixture.meter, from: StoreFixture.slot(0), to: StoreFixture.slot(8), resolution: .minutes(20))
        }
    }

    @Test func unknownSensorsAreReported() throws {
        let fixture = try StoreFixture()
        #expect(throws: BeliefStoreError.unknownSensor(77)) {
            try fixture.store.beliefs(sensorID: 77, from: StoreFixture.slot(0), to: StoreFixture.slot(1))
        }
    }

    @Test func aCorruptedSegmentIsReportedAndOnlyWhereItIsRead() throws {
        let fixture = try StoreFixture(configuration: { var c = BeliefStore.Configuration(); c.maximumSegmentBeliefs = 1000; return c }())
        try fixture.store.appendNow(fixture.measurements(0..<2000))
        let (firstID, length) = try fixture.site.pool.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT id, LENGTH(data) FROM belief_segment ORDER BY first_event_start_us LIMIT 1")!
            return (row[0] as Int64, row[1] as Int)
        }
        try fixture.site.pool.write { db in
            var data = try Data.fetchOne(db, sql: "SELECT data FROM belief_segment WHERE id = ?", arguments: [firstID])!
            data[length / 2] ^= 0x5A
            try db.execute(sql: "UPDATE belief_segment SET data = ? WHERE id = ?", arguments: [data, firstID])
        }
        #expect(throws: BeliefStoreError.self) {
            try fixture.store.beliefs(sensorID: fixture.meter, from: StoreFixture.slot(0), to: StoreFixture.slot(10))
        }
        let later = try fixture.store.beliefs(sensorID: fixture.meter, from: StoreFixture.slot(1500), to: StoreFixture.slot(1600))
        #expect(later == fixture.measurements(1500..<1600), "segments outside the window are not decoded")
    }
}
