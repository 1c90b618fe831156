import BeliefStore
import Beliefs
import GRDB
import Testing
import TestSupport
import SiteDatabase

@Suite struct SensorCatalogTests {
    let file: TemporaryDatabase
    let site: SiteDatabase

    init() throws {
        file = try TemporaryDatabase()
        site = try SiteDatabase(path: file.path, migrations: BeliefStoreSchema.all)
    }

    @Test func sensorsShareOneIncreasingIdSpace() throws {
        let ids = try site.pool.write { db in
            try (0..<3).map { _ in try SensorCatalog.createSensor(unit: "MW", eventResolution: .minutes(15), in: db) }
        }
        #expect(ids == [1, 2, 3])
    }

    @Test func deletedSensorIdsAreNeverReused() throws {
        let first = try site.pool.write { db in
            try SensorCatalog.createSensor(unit: "MW", eventResolution: .minutes(15), in: db)
        }
        try site.pool.write { db in try SensorCatalog.deleteSensors(ids: [first], in: db) }
        let second = try site.pool.write { db in
            try SensorCatalog.createSensor(unit: "MW", eventResolution: .minutes(15), in: db)
        }
        #expect(second > first)
        #expect(try site.pool.read { db in try SensorCatalog.sensorShape(id: first, in: db) } == nil)
    }

    @Test func userSourceIsCreatedOnceAndKeptWhenDetached() throws {
        let (first, again) = try site.pool.write { db in
            (try SensorCatalog.userSource(userID: 7, name: "gateway", in: db),
             try SensorCatalog.userSource(userID: 7, name: "gateway", in: db))
        }
        #expect(first == again)
        #expect(first.type == .user)
        try site.pool.write { db in try SensorCatalog.detachUserSource(userID: 7, in: db) }
        let sources = try site.pool.read { db in try SensorCatalog.sources(in: db) }
        #expect(sources.map(\.id) == [first.id])
        #expect(sources.first?.userID == nil)
    }

    @Test(arguments: [SourceType.forecaster, .scheduler, .script])
    func scriptSourcesAreFoundByNameAndType(type: SourceType) throws {
        let (first, again) = try site.pool.write { db in
            (try SensorCatalog.scriptSource(name: "flexmeasures", type: type, in: db),
             try SensorCatalog.scriptSource(name: "flexmeasures", type: type, in: db))
        }
        #expect(first == again)
        #expect(first.type == type)
        #expect(first.userID == nil)
    }
}
