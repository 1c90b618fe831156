import BeliefStore
import Beliefs
import GRDB
@testable import Registry
import Testing

@Suite struct AssetTests {
    @Test func anAssetGetsItsSensorAndKeepsEveryField() throws {
        let fixture = try RegistryFixture()
        let market = try #require(try fixture.registry.market(named: "epex_da"))
        var fields = fixture.batteryFields()
        fields.displayName = "Basement battery"
        fields.socInMWh = 2.5
        fields.socDatetime = Instant(secondsSinceEpoch: 1_420_070_400)
        fields.socUDIEventID = 203
        fields.marketID = market.id
        let asset = try fixture.registry.addAsset(fields)
        #expect(asset.id > market.id, "assets and markets share one id space")
        #expect(try fixture.registry.asset(id: asset.id) == asset)
        #expect(try fixture.registry.asset(named: "battery 1") == asset)
        let shape = try fixture.registry.database.pool.read { db in try SensorCatalog.sensorShape(id: asset.id, in: db) }
        #expect(shape?.unit == "MW")
        #expect(shape?.eventResolution == .minutes(15))
    }

    struct InvalidAsset: Sendable, CustomTestStringConvertible {
        let label: String
        let change: @Sendable (inout AssetFields) -> Void
        let fields: Set<String>
        var testDescription: String { label }
    }

    static let invalidAssets: [InvalidAsset] = [
        .init(label: "latitude above 90", change: { $0.latitude = 90.5 }, fields: ["latitude"]),
        .init(label: "latitude below -90", change: { $0.latitude = -91 }, fields: ["latitude"]),
        .init(label: "longitude above 180", change: { $0.longitude = 180.01 }, fields: ["longitude"]),
        .init(label: "longitude below -180", change: { $0.longitude = -200 }, fields: ["longitude"]),
        .init(label: "latitude NaN", change: { $0.latitude = .nan }, fields: ["latitude"]),
        .init(label: "negative capacity", change: { $0.capacityInMW = -0.1 }, fields: ["capacity_in_mw"]),
        .init(label: "infinite capacity", change: { $0.capacityInMW = .infinity }, fields: ["capacity_in_mw"]),
        .init(label: "min SOC above max SOC", change: { $0.minSOCInMWh = 6; $0.maxSOCInMWh = 5 }, fields: ["min_soc_in_mwh"]),
        .init(label: "negative min SOC", change: { $0.minSOCInMWh = -1 }, fields: ["min_soc_in_mwh"]),
        .init(label: "NaN SOC", change: { $0.socInMWh = .nan }, fields: ["soc_in_mwh"]),
        .init(label: "empty name", change: { $0.name = "" }, fields: ["name"]),
        .init(label: "empty unit", change: { $0.unit = "" }, fields: ["unit"]),
        .init(label: "zero resolution", change: { $0.eventResolution = .zero }, fields: ["event_resolution"]),
        .init(label: "negative resolution", change: { $0.eventResolution = .minutes(-15) }, fields: ["event_resolution"]),
        .init(label: "unknown asset type", change: { $0.assetTypeName = "nuclear" }, fields: ["asset_type"]),
        .init(label: "unknown owner", change: { $0.ownerID = 999 }, fields: ["owner"]),
        .init(label: "unknown market", change: { $0.marketID = 999 }, fields: ["market"]),
        .init(label: "several at once", change: { $0.latitude = 100; $0.longitude = 200; $0.capacityInMW = -1 },
              fields: ["latitude", "longitude", "capacity_in_mw"]),
    ]

    @Test(arguments: invalidAssets)
    func invalidAssetsAreRefusedAndNothingIsWritten(_ invalid: InvalidAsset) throws {
        let fixture = try RegistryFixture()
        var fields = fixture.batteryFields()
        invalid.change(&fields)
        #expect(refusedFields { _ = try fixture.registry.addAsset(fields) } == invalid.fields)
        #expect(try fixture.registry.assets().isEmpty)
        let sensors = try fixture.registry.database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sensor") }
        #expect(sensors == 1, "only the default market's sensor")
    }

    @Test func assetNamesAreUnique() throws {
        let fixture = try RegistryFixture()
        _ = try fixture.registry.addAsset(fixture.batteryFields())
        #expect(refusedFields { _ = try fixture.registry.addAsset(fixture.batteryFields()) } == ["name"])
    }

    @Test func ownersNeedTheProsumerRole() throws {
        let fixture = try RegistryFixture()
        let admin = try fixture.registry.addUser(NewUser(username: "root", email: "root@example.com", password: "12345678", roles: ["admin"]))
        var fields = fixture.batteryFields()
        fields.ownerID = admin.id
        #expect(refusedFields { _ = try fixture.registry.addAsset(fields) } == ["owner"])
    }

    @Test func boundaryCoordinatesAndZeroCapacityAreAccepted() throws {
        let fixture = try RegistryFixture()
        var fields = fixture.batteryFields()
        fields.latitude = -90
        fields.longitude = 180
        fields.capacityInMW = 0
        fields.minSOCInMWh = 5
        fields.maxSOCInMWh = 5
        #expect(throws: Never.self) { try fixture.registry.addAsset(fields) }
    }

    @Test func updateValidatesAndKeepsTheSensorInStep() throws {
        let fixture = try RegistryFixture()
        let asset = try fixture.registry.addAsset(fixture.batteryFields())
        var fields = asset.fields
        fields.eventResolution = .minutes(5)
        fields.latitude = 11.1
        let updated = try fixture.registry.updateAsset(id: asset.id, to: fields)
        #expect(try fixture.registry.asset(id: asset.id) == updated)
        let shape = try fixture.registry.database.pool.read { db in try SensorCatalog.sensorShape(id: asset.id, in: db) }
        #expect(shape?.eventResolution == .minutes(5))

        fields.latitude = 123
        #expect(refusedFields { _ = try fixture.registry.updateAsset(id: asset.id, to: fields) } == ["latitude"])
        #expect(try fixture.registry.asset(id: asset.id)?.fields.latitude == 11.1)
    }

    @Test func keepingItsOwnNameIsNotADuplicate() throws {
        let fixture = try RegistryFixture()
        let asset = try fixture.registry.addAsset(fixture.batteryFields())
        #expect(throws: Never.self) { try fixture.registry.updateAsset(id: asset.id, to: asset.fields) }
    }

    @Test func deleteAssetRemovesItsSensor() throws {
        let fixture = try RegistryFixture()
        let asset = try fixture.registry.addAsset(fixture.batteryFields())
        try fixture.registry.deleteAsset(id: asset.id)
        #expect(try fixture.registry.asset(id: asset.id) == nil)
        #expect(throws: RegistryError.notFound(entity: "asset", key: "id \(asset.id)")) {
            try fixture.registry.deleteAsset(id: asset.id)
        }
    }

    @Test func assetsAreListedPerOwner() throws {
        let fixture = try RegistryFixture()
        let first = try fixture.registry.addAsset(fixture.batteryFields(name: "a"))
        let second = try fixture.registry.addAsset(fixture.batteryFields(name: "b"))
        #expect(try fixture.registry.assets(ownerID: fixture.prosumer.id).map(\.id) == [first.id, second.id])
        #expect(try fixture.registry.assets(ownerID: 12345).isEmpty)
        #expect(try fixture.registry.assets().count == 2)
    }
}

@Suite struct MarketAndWeatherSensorTests {
    @Test func marketsAreValidatedAndUnique() throws {
        let fixture = try RegistryFixture()
        let market = try fixture.registry.addMarket(NewMarket(name: "kpx", marketTypeName: "day_ahead", unit: "KRW/kWh", eventResolution: .hours(1)))
        #expect(try fixture.registry.market(id: market.id) == market)
        #expect(refusedFields {
            _ = try fixture.registry.addMarket(NewMarket(name: "kpx", marketTypeName: "day_ahead", unit: "EUR/MWh", eventResolution: .hours(1)))
        } == ["name"])
        #expect(refusedFields {
            _ = try fixture.registry.addMarket(NewMarket(name: "x", marketTypeName: "intraday", unit: "", eventResolution: .zero))
        } == ["market_type", "unit", "event_resolution"])
    }

    @Test func weatherSensorsTakeTheirTypesUnitByDefault() throws {
        let fixture = try RegistryFixture()
        let sensor = try fixture.registry.addWeatherSensor(NewWeatherSensor(
            name: "rooftop thermometer", weatherSensorTypeName: "temperature", eventResolution: .minutes(15), latitude: 33, longitude: 2.4
        ))
        #expect(sensor.unit == "°C")
        #expect(try fixture.registry.weatherSensor(id: sensor.id) == sensor)
    }

    @Test func oneWeatherSensorOfATypePerLocation() throws {
        let fixture = try RegistryFixture()
        _ = try fixture.registry.addWeatherSensor(NewWeatherSensor(
            name: "t1", weatherSensorTypeName: "temperature", eventResolution: .minutes(15), latitude: 33, longitude: 2.4
        ))
        #expect(refusedFields {
            _ = try fixture.registry.addWeatherSensor(NewWeatherSensor(
                name: "t2", weatherSensorTypeName: "temperature", eventResolution: .minutes(15), latitude: 33, longitude: 2.4
            ))
        } == ["location"])
        #expect(throws: Never.self) {
            try fixture.registry.addWeatherSensor(NewWeatherSensor(
                name: "w1", weatherSensorTypeName: "wind_speed", eventResolution: .minutes(15), latitude: 33, longitude: 2.4
            ))
        }
    }

    @Test func invalidWeatherSensorsAreRefused() throws {
        let fixture = try RegistryFixture()
        #expect(refusedFields {
            _ = try fixture.registry.addWeatherSensor(NewWeatherSensor(
                name: "", weatherSensorTypeName: "humidity", eventResolution: .minutes(-5), latitude: 91, longitude: -181
            ))
        } == ["name", "display_name", "weather_sensor_type", "event_resolution", "latitude", "longitude"])
    }
}
