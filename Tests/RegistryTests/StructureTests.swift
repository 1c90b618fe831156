import BeliefStore
import GRDB
@testable import Registry
import Testing
import TestSupport
import SiteDatabase

@Suite struct StructureTests {
    @Test func addStructureProvidesTheStandardTypesAndDefaultMarket() throws {
        let fixture = try RegistryFixture()
        let assetTypes = try fixture.registry.assetTypes().map(\.name)
        #expect(Set(assetTypes) == ["solar", "wind", "battery", "one-way_evse", "two-way_evse", "charging_station", "building"])
        let weather = try fixture.registry.weatherSensorTypes()
        #expect(Set(weather.map(\.name)) == ["temperature", "wind_speed", "radiation"])
        #expect(weather.first { $0.name == "wind_speed" }?.unit == "m/s")
        let market = try #require(try fixture.registry.market(named: "epex_da"))
        #expect(market.unit == "EUR/MWh")
        #expect(market.eventResolution == .hours(1))
        #expect(market.marketTypeName == "day_ahead")
    }

    @Test func addStructureIsIdempotent() throws {
        let fixture = try RegistryFixture()
        #expect(try fixture.registry.addStructure().isEmpty)
        let markets = try fixture.registry.database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM market") }
        #expect(markets == 1)
    }

    @Test func assetTypesKnowPureProducersAndConsumers() throws {
        let types = Dictionary(uniqueKeysWithValues: Registry.standardAssetTypes.map { ($0.name, $0) })
        #expect(types["solar"]?.isPureProducer == true)
        #expect(types["wind"]?.isPureProducer == true)
        #expect(types["one-way_evse"]?.isPureConsumer == true)
        #expect(types["building"]?.isPureConsumer == true)
        #expect(types["battery"]?.isPureConsumer == false)
        #expect(types["battery"]?.isPureProducer == false)
        #expect(types["two-way_evse"]?.isPureProducer == false)
    }

    @Test func deleteStructureRemovesEverythingButRoles() throws {
        let fixture = try RegistryFixture()
        _ = try fixture.registry.addAsset(fixture.batteryFields())
        try fixture.registry.deleteStructure()
        let counts = try fixture.registry.database.pool.read { db in
            try ["sensor", "asset", "market", "user", "asset_type", "weather_sensor_type", "market_type", "data_source"]
                .map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? -1 }
        }
        #expect(counts == [0, 0, 0, 0, 0, 0, 0, 0])
        let roles = try fixture.registry.database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM role") }
        #expect(roles == Role.allCases.count)
        #expect(try !fixture.registry.addStructure().isEmpty)
    }
}

@Suite struct SiteSchemaTests {
    @Test func emptyFileMigratesToTheWholeSchema() throws {
        let file = try TemporaryDatabase()
        let site = try SiteDatabase(path: file.path, migrations: RegistrySiteSchema.migrations)
        #expect(try site.appliedMigrations() == RegistrySiteSchema.migrations.map(\.identifier))
        let tables = try site.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%'")
        }
        #expect(Set(tables).isSuperset(of: ["sensor", "data_source", "user", "role", "user_role", "asset", "asset_type",
                                            "market", "market_type", "weather_sensor", "weather_sensor_type"]))
    }

    @Test func rerunningMigrationsKeepsData() throws {
        let file = try TemporaryDatabase()
        do {
            let registry = Registry(database: try SiteDatabase(path: file.path, migrations: RegistrySiteSchema.migrations), bcryptCost: 4)
            try registry.addStructure()
        }
        let site = try SiteDatabase(path: file.path, migrations: RegistrySiteSchema.migrations)
        #expect(try site.upgrade().isEmpty)
        #expect(try Registry(database: site).market(named: "epex_da") != nil)
    }

    @Test func aBeliefStoreOnlyFileIsUpgradedWithTheRegistry() throws {
        let file = try TemporaryDatabase()
        _ = try SiteDatabase(path: file.path, migrations: BeliefStoreSchema.all)
        let site = try SiteDatabase(path: file.path, migrations: RegistrySiteSchema.migrations, policy: .inspectOnly)
        #expect(try site.pendingMigrations() == RegistrySchema.all.map(\.identifier))
        #expect(try site.upgrade() == RegistrySchema.all.map(\.identifier))
    }

    @Test func everyRoleIsSeeded() throws {
        let file = try TemporaryDatabase()
        let site = try SiteDatabase(path: file.path, migrations: RegistrySiteSchema.migrations)
        let names = try site.pool.read { db in try String.fetchAll(db, sql: "SELECT name FROM role") }
        #expect(Set(names) == ["admin", "Prosumer", "Supplier", "Aggregator", "ESCo", "MDC", "DSO", "anonymous"])
    }
}
