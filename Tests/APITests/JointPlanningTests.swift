import Beliefs
import Foundation
import Registry
import Testing
import TestSupport

/// With a site connection, a UDI event re-plans every battery and charge point behind it together:
/// four charge points with targets and a battery behind a connection smaller than their sum.
@Suite(.serialized) struct JointPlanningTests {
    let control = ControlTests()
    static let day = ControlTests.day
    static let inflexibleLoad = 0.5

    /// cs1 (id 2) and the battery (id 4) of the standard site, three more charge points like cs1 (ids
    /// 9, 10, 11) and a building (id 12) whose forecast is the inflexible load.
    func site() async throws -> (site: InProcessSite, chargePoints: [Int64], building: Int64) {
        let site = try InProcessSite()
        var chargePoints: [Int64] = [2]
        for name in ["cs2", "cs3", "cs4"] {
            var fields = AssetFields(
                name: name, assetTypeName: "one-way_evse", capacityInMW: 2, eventResolution: .minutes(15),
                latitude: 33.5, longitude: 126.5, ownerID: 2
            )
            fields.marketID = 1
            chargePoints.append(try site.services.registry.addAsset(fields).id)
        }
        var building = AssetFields(
            name: "offices", assetTypeName: "building", capacityInMW: 1, eventResolution: .minutes(15),
            latitude: 33.5, longitude: 126.5, ownerID: 2
        )
        building.marketID = 1
        let buildingID = try site.services.registry.addAsset(building).id
        try await control.postPrices(site)
        let forecast = try await site.send("POST", "/api/v2_0/postPrognosis", as: "prosumer", json: [
            "type": "PostPrognosisRequest", "connection": address(buildingID), "values": Array(repeating: Self.inflexibleLoad, count: 152),
            "start": "\(Self.day)T10:00:00Z", "duration": "PT38H", "prior": "2015-06-01T12:00:00Z", "unit": "MW",
        ])
        try #require(forecast.status == 200, "\(forecast.text)")
        return (site, chargePoints, buildingID)
    }

    func address(_ id: Int64) -> String { "ea1.2021-01.io.flexmeasures:2:\(id)" }

    /// Each charge point: empty at 10:00, 3 MWh at 16:00; the battery at 1.21 MWh without targets.
    func postEvents(_ site: InProcessSite, chargePoints: [Int64], target: Double = 3000) async throws {
        for id in chargePoints {
            let reply = try await control.postEvent(site, [
                "event": "\(address(id)):30:soc-with-targets", "value": 0,
                "targets": [["value": target, "datetime": "\(Self.day)T16:00:00+00:00"]],
            ])
            try #require(reply.status == 200, "\(reply.text)")
        }
        let battery = try await control.postEvent(site, ["event": "\(address(4)):30:soc"])
        try #require(battery.status == 200, "\(battery.text)")
    }

    /// Every device's message (charge points, then the battery), all from the same start.
    func messages(_ site: InProcessSite, chargePoints: [Int64]) async throws -> [Int64: [Double]] {
        var plans: [Int64: [Double]] = [:]
        for id in chargePoints + [4] {
            let reply = try await control.awaitDeviceMessage(site, event: "\(address(id)):30:soc")
            try #require(reply.status == 200, "\(id): \(reply.text)")
            #expect(reply.json?["start"] as? String == "\(Self.day)T10:00:00Z")
            plans[id] = try #require(reply.json?["values"] as? [Double])
        }
        return plans
    }

    func totals(_ plans: [Int64: [Double]]) -> [Double] {
        let count = plans.values.map(\.count).min() ?? 0
        return (0..<count).map { slot in plans.values.reduce(0) { $0 + $1[slot] } }
    }

    @Test func theSiteLimitHoldsInEverySlotAndEveryTargetIsMet() async throws {
        let (site, chargePoints, building) = try await site()
        let set = try await site.send("PUT", "/api/v2_0/site/connection", as: "admin", json: [
            "import_capacity_mw": 3, "export_capacity_mw": 1, "inflexible_asset_id": building,
        ])
        try #require(set.status == 200, "\(set.text)")
        try await postEvents(site, chargePoints: chargePoints)
        let plans = try await messages(site, chargePoints: chargePoints)
        for (id, values) in plans {
            #expect(values.count == 152, "\(id)")
        }
        for (slot, total) in totals(plans).enumerated() {
            #expect(total + Self.inflexibleLoad <= 3 + 1e-6, "slot \(slot): \(total) MW of devices")
            #expect(total + Self.inflexibleLoad >= -1 - 1e-6, "slot \(slot): \(total) MW of devices")
        }
        for id in chargePoints {
            let values = try #require(plans[id])
            let soc = values.prefix(24).reduce(0) { $0 + $1 * 0.25 }
            #expect(abs(soc - 3) < 1e-6, "charge point \(id) reaches 3 MWh at 16:00: \(soc)")
            #expect(values.allSatisfy { $0 >= -1e-9 && $0 <= 2 + 1e-9 })
        }
        var level = 1.21
        for value in try #require(plans[4]) {
            level += value * 0.25
            #expect(level >= -1e-9 && level <= 5 + 1e-9)
        }
        // Each device's plan is stored as its beliefs too.
        let prognosis = try await site.get("/api/v2_0/getPrognosis", as: "prosumer", query: [
            "type": "GetPrognosisRequest", "connection": address(chargePoints[3]), "start": "\(Self.day)T10:00:00Z",
            "duration": "PT1H", "unit": "MW",
        ])
        #expect(prognosis.json?["values"] as? [Double] == Array(try #require(plans[chargePoints[3]]).prefix(4)), "\(prognosis.text)")
    }

    /// v1.2 plans on request, but a plan made for one asker would leave the others' parts unchanged: behind a
    /// connection its events are planned by the joint job too, and every device's part comes from it.
    @Test func aVersion12EventBehindTheConnectionIsPlannedWithTheOthers() async throws {
        let (site, chargePoints, building) = try await site()
        _ = try site.services.registry.setGridConnection(GridConnection(importCapacityInMW: 3, exportCapacityInMW: 1, inflexibleAssetID: building))
        try await postEvents(site, chargePoints: Array(chargePoints.prefix(3)))
        await site.runQueuedJobs()
        let last = try await control.postEvent(site, version: "v1_2", ["event": "\(address(chargePoints[3])):30:soc", "value": 0])
        try #require(last.status == 200, "\(last.text)")
        let v12 = try await control.awaitDeviceMessage(site, version: "v1_2", event: "\(address(chargePoints[3])):30:soc")
        try #require(v12.status == 200, "\(v12.text)")
        let plans = try await messages(site, chargePoints: chargePoints)
        #expect(v12.json?["values"] as? [Double] == plans[chargePoints[3]])
        for (slot, total) in totals(plans).enumerated() {
            #expect(total + Self.inflexibleLoad <= 3 + 1e-6, "slot \(slot): \(total) MW of devices")
        }
    }

    @Test func withoutASiteConnectionEachDeviceIsPlannedOnItsOwn() async throws {
        let (site, chargePoints, _) = try await site()
        try await postEvents(site, chargePoints: chargePoints)
        let plans = try await messages(site, chargePoints: chargePoints)
        // All four charge at full power in the same cheap slots: far above what a 3 MW connection carries.
        #expect(totals(plans).contains { $0 + Self.inflexibleLoad > 3 + 1e-6 })
        // The same plan as a device planned alone: every charge point's plan is the same.
        #expect(Set(chargePoints.map { plans[$0]! }).count == 1)
        // Results keep the format of before (one plan, no per-device part).
        let jobID = try #require(try site.services.registry.udiEvent(assetID: chargePoints[0], eventID: 30)?.jobID)
        let job = try #require(try await site.services.jobs.job(id: jobID))
        #expect(job.result?.contains("plans") == false, "\(job.result ?? "")")
    }

    @Test func aTargetTheConnectionCannotCarryIsNamedWithItsAssetAndTime() async throws {
        let (site, chargePoints, building) = try await site()
        _ = try site.services.registry.setGridConnection(GridConnection(
            importCapacityInMW: 1.2, exportCapacityInMW: 1, inflexibleAssetID: building
        ))
        try await postEvents(site, chargePoints: chargePoints)
        let reply = try await control.awaitDeviceMessage(site, event: "\(address(chargePoints[0])):30:soc")
        #expect(reply.statusString == "UNKNOWN_SCHEDULE")
        let message = reply.json?["message"] as? String ?? ""
        #expect(message.hasPrefix("Scheduling job failed: infeasible"), "\(message)")
        // Each charge point's share of what cannot come through, by the slot its target ends, and the limit.
        #expect(message.contains("'cs1' (asset 2): 3.0 MWh"), "\(message)")
        #expect(message.contains("to \(Self.day)T16:00:00Z"), "\(message)")
        #expect(message.contains("maximum of 1.2 MW less the inflexible load"), "\(message)")
    }

    @Test func aSlotWhoseInflexibleLoadExceedsTheConnectionIsNamedWithItsTime() async throws {
        let (site, chargePoints, building) = try await site()
        _ = try site.services.registry.setGridConnection(GridConnection(
            importCapacityInMW: 0.4, exportCapacityInMW: 0, inflexibleAssetID: building
        ))
        let reply = try await control.postEvent(site, [
            "event": "\(address(chargePoints[0])):30:soc-with-targets", "value": 0,
            "targets": [["value": 100, "datetime": "\(Self.day)T16:00:00+00:00"]],
        ])
        try #require(reply.status == 200, "\(reply.text)")
        let failed = try await control.awaitDeviceMessage(site, event: "\(address(chargePoints[0])):30:soc")
        let message = failed.json?["message"] as? String ?? ""
        #expect(message.contains("slot 0 (\(Self.day)T10:00:00Z to \(Self.day)T10:15:00Z)"), "\(message)")
        #expect(message.contains("maximum of 0.4 MW"), "\(message)")
    }

    /// The battery could cover the load above the connection by discharging, but it is empty: the slot
    /// where that runs out is named, not only "cannot all be met".
    @Test func aSlotTheDevicesCannotCoverWithWhatTheyHoldIsNamed() async throws {
        let (site, chargePoints, building) = try await site()
        _ = try site.services.registry.setGridConnection(GridConnection(
            importCapacityInMW: 0.45, exportCapacityInMW: 1, inflexibleAssetID: building
        ))
        #expect(try await control.postEvent(site, ["event": "\(address(4)):30:soc", "value": 0]).status == 200)
        let reply = try await control.postEvent(site, ["event": "\(address(chargePoints[0])):30:soc", "value": 0])
        try #require(reply.status == 200, "\(reply.text)")
        let failed = try await control.awaitDeviceMessage(site, event: "\(address(chargePoints[0])):30:soc")
        let message = failed.json?["message"] as? String ?? ""
        #expect(message.contains("in slot 0 (\(Self.day)T10:00:00Z to \(Self.day)T10:15:00Z)"), "\(message)")
        #expect(message.contains("maximum of 0.45 MW is below the inflexible load of 0.5 MW"), "\(message)")
    }

    @Test func devicesOfAnotherResolutionAreNamedInsteadOfPlannedWrongly() async throws {
        let (site, chargePoints, _) = try await site()
        _ = try site.services.registry.setGridConnection(GridConnection(importCapacityInMW: 10, exportCapacityInMW: 10))
        var slow = AssetFields(
            name: "slow charger", assetTypeName: "one-way_evse", capacityInMW: 1, eventResolution: .hours(1),
            latitude: 33.5, longitude: 126.5, ownerID: 2
        )
        slow.marketID = 1
        let slowID = try site.services.registry.addAsset(slow).id
        #expect(try await control.postEvent(site, ["event": "\(address(slowID)):1:soc"]).status == 200)
        #expect(try await control.postEvent(site, ["event": "\(address(chargePoints[0])):30:soc"]).status == 200)
        let reply = try await control.awaitDeviceMessage(site, event: "\(address(chargePoints[0])):30:soc")
        let message = reply.json?["message"] as? String ?? ""
        #expect(message.contains("'slow charger' (asset \(slowID)) has PT1H"), "\(message)")
    }
}
