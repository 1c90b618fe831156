import BeliefStore
import Beliefs
import GRDB
import TestSupport
import SiteDatabase

/// A belief store on a fresh file with two 15-minute sensors and three sources.
struct StoreFixture {
    let file: TemporaryDatabase
    let site: SiteDatabase
    let store: BeliefStore
    let meter: SensorID
    let other: SensorID
    let gateway: SourceID
    let forecaster: SourceID
    let scheduler: SourceID

    static let resolution = Timespan.minutes(15)
    /// 2021-01-01T00:00:00Z
    static let origin = Instant(secondsSinceEpoch: 1_609_459_200)

    init(configuration: BeliefStore.Configuration = .init()) throws {
        file = try TemporaryDatabase()
        site = try SiteDatabase(path: file.path, migrations: BeliefStoreSchema.all)
        store = BeliefStore(database: site, configuration: configuration)
        (meter, other, gateway, forecaster, scheduler) = try site.pool.write { db in
            (
                try SensorCatalog.createSensor(unit: "MW", eventResolution: Self.resolution, in: db),
                try SensorCatalog.createSensor(unit: "MW", eventResolution: Self.resolution, in: db),
                try SensorCatalog.userSource(userID: 1, name: "gateway", in: db).id,
                try SensorCatalog.scriptSource(name: "forecaster", type: .forecaster, in: db).id,
                try SensorCatalog.scriptSource(name: "scheduler", type: .scheduler, in: db).id
            )
        }
    }

    static func slot(_ index: Int) -> Instant { origin + resolution * Int64(index) }

    /// Measurements of `count` slots from `first`, each recorded 5 minutes after its event ended.
    func measurements(_ slots: Range<Int>, sensor: SensorID? = nil, source: SourceID? = nil, value: (Int) -> Double = { Double($0) / 1000 }) -> [Belief] {
        slots.map { index in
            Belief(
                sensorID: sensor ?? meter, eventStart: Self.slot(index),
                beliefTime: Self.slot(index) + Self.resolution + .minutes(5), sourceID: source ?? gateway, value: value(index)
            )
        }
    }

    /// Forecasts of the slots, all made at `madeAt`.
    func forecasts(_ slots: Range<Int>, madeAt: Instant, value: Double) -> [Belief] {
        slots.map { index in
            Belief(sensorID: meter, eventStart: Self.slot(index), beliefTime: madeAt, sourceID: forecaster, value: value)
        }
    }

    func count(_ table: String) throws -> Int {
        try site.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
    }

    func allBeliefs(sensor: SensorID? = nil) throws -> [Belief] {
        try store.beliefs(sensorID: sensor ?? meter, from: Self.slot(-100_000), to: Self.slot(1_000_000))
    }
}
