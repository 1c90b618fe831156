import Foundation
import Testing
import TestSupport

/// The storage efficiencies of the v2.0 asset resource: 1 by default, above 0 and at most 1.
@Suite struct AssetEfficiencyTests {
    @Test func efficienciesDefaultToOneAndAreSetOnCreateAndPatch() async throws {
        let site = try InProcessSite()
        let plain = try await site.send("POST", "/api/v2_0/assets", as: "admin", json: AssetResourceTests.newAsset)
        #expect(plain.json?["charging_efficiency"] as? Double == 1, "\(plain.text)")
        #expect(plain.json?["discharging_efficiency"] as? Double == 1)
        var lossy = AssetResourceTests.newAsset
        lossy["name"] = "lossy battery"
        lossy["charging_efficiency"] = 0.95
        lossy["discharging_efficiency"] = 0.9
        let created = try await site.send("POST", "/api/v2_0/assets", as: "admin", json: lossy)
        #expect(created.status == 201, "\(created.text)")
        #expect(created.json?["charging_efficiency"] as? Double == 0.95)
        let id = try #require(created.json?["id"] as? Int)
        let patched = try await site.send("PATCH", "/api/v2_0/asset/\(id)", as: "prosumer", json: ["discharging_efficiency": 1])
        #expect(patched.status == 200, "\(patched.text)")
        let read = try await site.send("GET", "/api/v2_0/asset/\(id)", as: "prosumer")
        #expect(read.json?["charging_efficiency"] as? Double == 0.95)
        #expect(read.json?["discharging_efficiency"] as? Double == 1)
    }

    @Test(arguments: [JSONScalar.number(0), .number(1.5), .text("x"), .number(-0.5)])
    func invalidEfficienciesGet422PerFieldOnCreateAndPatch(value: JSONScalar) async throws {
        let site = try InProcessSite()
        var asset = AssetResourceTests.newAsset
        asset["charging_efficiency"] = value.value
        asset["discharging_efficiency"] = value.value
        let created = try await site.send("POST", "/api/v2_0/assets", as: "admin", json: asset)
        #expect(created.status == 422, "\(created.text)")
        let errors = try #require(created.json?["errors"] as? [String: Any])
        #expect(Set(errors.keys) == ["charging_efficiency", "discharging_efficiency"])
        #expect(try await site.send("GET", "/api/v2_0/assets", as: "admin").jsonList?.count == 5, "nothing created")
        let patched = try await site.send("PATCH", "/api/v2_0/asset/4", as: "prosumer", json: ["charging_efficiency": value.value])
        #expect(patched.status == 422, "\(patched.text)")
        #expect((patched.json?["errors"] as? [String: Any])?.keys.map { $0 } == ["charging_efficiency"])
        #expect(try site.services.registry.asset(id: 4)?.fields.chargingEfficiency == 1, "nothing changed")
    }

    @Test func onlyWhatStoresEnergyHasEfficiencies() async throws {
        let site = try InProcessSite()
        var solar = AssetResourceTests.newAsset
        solar["name"] = "lossy roof"
        solar["asset_type"] = "solar"
        solar["charging_efficiency"] = 0.5
        let created = try await site.send("POST", "/api/v2_0/assets", as: "admin", json: solar)
        #expect(created.status == 422, "\(created.text)")
        #expect((created.json?["errors"] as? [String: Any])?.keys.map { $0 } == ["charging_efficiency"], "\(created.text)")
        solar["charging_efficiency"] = 1
        #expect(try await site.send("POST", "/api/v2_0/assets", as: "admin", json: solar).status == 201)
    }

    @Test func theRegistryRefusesEfficienciesOutsideTheRangeToo() throws {
        let site = try InProcessSite()
        var fields = try #require(try site.services.registry.asset(id: 4)).fields
        fields.dischargingEfficiency = .nan
        #expect(throws: (any Error).self) { try site.services.registry.updateAsset(id: 4, to: fields) }
    }
}
