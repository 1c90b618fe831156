import BeliefStore
import Beliefs
import Foundation
import GRDB
import Testing
import TestSupport
import SiteDatabase

@Suite struct SiteDatabaseTests {
    @Test func newFileIsCreatedMigratedAndInWALMode() throws {
        let file = try TemporaryDatabase()
        let site = try SiteDatabase(path: file.path, migrations: BeliefStoreSchema.all)
        #expect(try site.appliedMigrations() == BeliefStoreSchema.all.map(\.identifier))
        #expect(try site.pendingMigrations().isEmpty)
        let mode = try site.pool.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let synchronous = try site.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(synchronous == 2, "synchronous=FULL is 2")
    }

    @Test func migrationsListedOutOfOrderAreRefusedBeforeAnyFileIsMade() throws {
        let file = try TemporaryDatabase()
        #expect(throws: SiteDatabaseError.migrationsOutOfOrder(earlier: "0003_belief_segments", later: "0001_sensors_and_sources")) {
            _ = try SiteDatabase(path: file.path, migrations: Array(BeliefStoreSchema.all.prefix(2).reversed()))
        }
        #expect(!FileManager.default.fileExists(atPath: file.path))
    }

    @Test func missingParentFoldersAreCreated() throws {
        let file = try TemporaryDatabase()
        let nested = file.directory.appendingPathComponent("a/b/site.db").path
        _ = try SiteDatabase(path: nested, migrations: BeliefStoreSchema.all)
        #expect(FileManager.default.fileExists(atPath: nested))
    }

    @Test func reopeningAppliesNothingTwiceAndKeepsData() throws {
        let file = try TemporaryDatabase()
        let first = try SiteDatabase(path: file.path, migrations: BeliefStoreSchema.all)
        let id = try first.pool.write { db in
            try SensorCatalog.createSensor(unit: "MW", eventResolution: .minutes(15), in: db)
        }
        let second = try SiteDatabase(path: file.path, migrations: BeliefStoreSchema.all)
        #expect(try second.upgrade().isEmpty)
        let shape = try second.pool.read { db in try SensorCatalog.sensorShape(id: id, in: db) }
        #expect(shape?.unit == "MW")
        #expect(shape?.eventResolution == .minutes(15))
    }

    @Test func inspectOnlyLeavesPendingMigrationsAndUpgradeAppliesThem() throws {
        let file = try TemporaryDatabase()
        let extra = SchemaMigration.creatingTables("0099_extra", summary: "A table for the test.", tables: ["extra"]) { db in try db.execute(sql: "CREATE TABLE extra (x INTEGER)") }
        _ = try SiteDatabase(path: file.path, migrations: BeliefStoreSchema.all)
        let site = try SiteDatabase(path: file.path, migrations: BeliefStoreSchema.all + [extra], policy: .inspectOnly)
        #expect(try site.pendingMigrations() == ["0099_extra"])
        #expect(throws: SiteDatabaseError.self) { try site.requireCurrentSchema() }
        #expect(try site.upgrade() == ["0099_extra"])
        try site.requireCurrentSchema()
        #expect(try site.pool.read { db in try db.tableExists("extra") })
    }

    @Test func aDatabaseFromANewerReleaseIsRefused() throws {
        let file = try TemporaryDatabase()
        let future = SchemaMigration.creatingTables("0999_future", summary: "A table from the future.", tables: ["future"]) { db in try db.execute(sql: "CREATE TABLE future (x INTEGER)") }
        _ = try SiteDatabase(path: file.path, migrations: BeliefStoreSchema.all + [future])
        let newestKnown = BeliefStoreSchema.all.last?.identifier
        #expect(throws: SiteDatabaseError.newerSchema(path: file.path, unknownMigrations: ["0999_future"], newestKnown: newestKnown)) {
            _ = try SiteDatabase(path: file.path, migrations: BeliefStoreSchema.all)
        }
    }

    @Test func aFailingMigrationLeavesTheFileAsItWas() throws {
        let file = try TemporaryDatabase()
        let broken = SchemaMigration.creatingTables("0050_broken", summary: "Fails half way.", tables: ["half"]) { db in
            try db.execute(sql: "CREATE TABLE half (x INTEGER)")
            try db.execute(sql: "THIS IS NOT SQL")
        }
        _ = try SiteDatabase(path: file.path, migrations: BeliefStoreSchema.all)
        #expect(throws: DatabaseError.self) {
            _ = try SiteDatabase(path: file.path, migrations: BeliefStoreSchema.all + [broken])
        }
        let site = try SiteDatabase(path: file.path, migrations: BeliefStoreSchema.all)
        #expect(try site.pool.read { db in try !db.tableExists("half") })
        #expect(try site.appliedMigrations() == BeliefStoreSchema.all.map(\.identifier))
    }
}
