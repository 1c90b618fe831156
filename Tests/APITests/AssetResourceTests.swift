import Foundation
import Testing
import TestSupport

/// The v2.0 REST resources with the reference's example bodies.
@Suite(.serialized) struct AssetResourceTests {
    nonisolated(unsafe) static let newAsset: [String: Any] = [
        "name": "Test battery", "asset_type": "battery", "unit": "kW", "owner": 2, "market": 1, "event_resolution": 5,
        "capacity_in_mw": 4.2, "latitude": 40, "longitude": 170.3, "max_soc_in_mwh": 5, "min_soc_in_mwh": 0,
    ]

    @Test func adminsCreateAssetsAndEveryoneSeesBothFieldNames() async throws {
        let site = try InProcessSite()
        let created = try await site.send("POST", "/api/v2_0/assets", as: "admin", json: Self.newAsset)
        #expect(created.status == 201, "\(created.text)")
        let asset = try #require(created.json)
        #expect(asset["name"] as? String == "Test battery")
        #expect(asset["owner"] as? Int == 2)
        #expect(asset["owner_id"] as? Int == 2)
        #expect(asset["asset_type_name"] as? String == "battery")
        #expect(asset["event_resolution"] as? Int == 5)
        #expect(asset["soc_datetime"] is NSNull)
        let id = try #require(asset["id"] as? Int)
        let read = try await site.send("GET", "/api/v2_0/asset/\(id)", as: "prosumer")
        #expect(read.json?["capacity_in_mw"] as? Double == 4.2)
        let listed = try await site.send("GET", "/api/v2_0/assets", as: "prosumer")
        #expect(listed.jsonList?.count == 5)
        let owned = try await site.get("/api/v2_0/assets", as: "admin", query: ["owner_id": "3"])
        #expect(owned.jsonList?.map { $0["name"] as? String } == ["theirs"])
    }

    @Test func invalidAssetsGet422WithPerFieldErrorsAndNothingIsCreated() async throws {
        let site = try InProcessSite()
        var asset = Self.newAsset
        asset["latitude"] = 91
        asset["capacity_in_mw"] = -1
        asset["min_soc_in_mwh"] = 6
        let reply = try await site.send("POST", "/api/v2_0/assets", as: "admin", json: asset)
        #expect(reply.status == 422, "\(reply.text)")
        let errors = try #require(reply.json?["errors"] as? [String: Any])
        #expect(Set(errors.keys) == ["latitude", "capacity_in_mw", "min_soc_in_mwh"])
        var unknown = Self.newAsset
        unknown["colour"] = "blue"
        unknown["unit"] = nil
        let second = try await site.send("POST", "/api/v2_0/assets", as: "admin", json: unknown)
        #expect(second.status == 422)
        #expect(Set((second.json?["errors"] as? [String: Any])?.keys ?? [:].keys) == ["colour", "unit"])
        let list = try await site.send("POST", "/api/v2_0/assets", token: try site.token("admin"), json: [Self.newAsset])
        #expect(list.status == 422)
        var taken = Self.newAsset
        taken["name"] = "cs1"
        #expect(try await site.send("POST", "/api/v2_0/assets", as: "admin", json: taken).status == 422)
        var notProsumer = Self.newAsset
        notProsumer["owner"] = 4
        #expect(try await site.send("POST", "/api/v2_0/assets", as: "admin", json: notProsumer).status == 422)
        #expect(try await site.send("GET", "/api/v2_0/assets", as: "admin").jsonList?.count == 5, "nothing created")
    }

    @Test func ownersPatchTheirAssetsAndIdIsIgnored() async throws {
        let site = try InProcessSite()
        let patched = try await site.send("PATCH", "/api/v2_0/asset/4", as: "prosumer", json: ["latitude": 11.1, "longitude": 99.9, "id": 77])
        #expect(patched.status == 200, "\(patched.text)")
        #expect(patched.json?["id"] as? Int == 4)
        #expect(patched.json?["latitude"] as? Double == 11.1)
        let invalid = try await site.send("PATCH", "/api/v2_0/asset/4", as: "prosumer", json: ["longitude": 200])
        #expect(invalid.status == 422)
        #expect(try await site.send("GET", "/api/v2_0/asset/4", as: "prosumer").json?["longitude"] as? Double == 99.9)
        #expect(try await site.send("GET", "/api/v2_0/asset/404", as: "admin").status == 404)
    }

    @Test func onlyAdminsDeleteAssetsWithTheirData() async throws {
        let site = try InProcessSite()
        _ = try await site.send("POST", "/api/v2_0/postMeterData", as: "prosumer", json: [
            "type": "PostMeterDataRequest", "connection": InProcessSite.battery, "values": [1], "start": "2015-01-01T00:00:00Z",
            "duration": "PT15M", "unit": "MW",
        ])
        #expect(try await site.send("DELETE", "/api/v2_0/asset/4", as: "prosumer").status == 403)
        let deleted = try await site.send("DELETE", "/api/v2_0/asset/4", as: "admin")
        #expect(deleted.status == 204)
        #expect(try await site.send("GET", "/api/v2_0/asset/4", as: "admin").status == 404)
        #expect(try await site.send("DELETE", "/api/v2_0/asset/4", as: "admin").status == 404)
    }

    @Test func usersReadAndPatchTheirOwnHarmlessFields() async throws {
        let site = try InProcessSite()
        let me = try await site.send("GET", "/api/v2_0/user/2", as: "prosumer")
        #expect(me.json?["email"] as? String == "prosumer@example.com")
        let timezone = try await site.send("PATCH", "/api/v2_0/user/2", as: "prosumer", json: ["timezone": "Europe/Amsterdam"])
        #expect(timezone.json?["timezone"] as? String == "Europe/Amsterdam", "\(timezone.text)")
        for field in [["active": false], ["email": "new@example.com"], ["flexmeasures_roles": [1]]] as [[String: Any]] {
            #expect(try await site.send("PATCH", "/api/v2_0/user/2", as: "prosumer", json: field).status == 403)
            #expect(try await site.send("PATCH", "/api/v2_0/user/1", as: "admin", json: field).status == 403, "not even admins on themselves")
        }
        #expect(try await site.send("PATCH", "/api/v2_0/user/2", as: "prosumer", json: ["password": "x"]).status == 422)
        #expect(try await site.send("PATCH", "/api/v2_0/user/2", as: "prosumer", json: ["timezone": "Mars/Olympus"]).status == 422)
        #expect(try await site.send("GET", "/api/v2_0/user/99", as: "admin").status == 404)
    }

    @Test func adminsListUsersActiveUnlessAskedOtherwise() async throws {
        let site = try InProcessSite()
        #expect(try await site.send("PATCH", "/api/v2_0/user/6", as: "admin", json: ["active": false]).status == 200)
        #expect(try await site.send("GET", "/api/v2_0/users", as: "admin").jsonList?.count == 5)
        #expect(try await site.get("/api/v2_0/users", as: "admin", query: ["include_inactive": "true"]).jsonList?.count == 6)
        let roles = try await site.send("PATCH", "/api/v2_0/user/3", as: "admin", json: ["flexmeasures_roles": [2, 6]])
        #expect(roles.json?["flexmeasures_roles"] as? [Int] == [2, 6], "\(roles.text)")
    }
}
