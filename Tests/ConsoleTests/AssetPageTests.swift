import Beliefs
@testable import Console
import Foundation
import Registry
import Site
import Testing

@Suite struct AssetPageTests {
    @Test func aProsumerSeesOnlyTheirOwnAssets() async throws {
        let console = try InProcessConsole()
        let prosumer = try await console.signedIn("prosumer")
        let list = try await prosumer.get("/assets")
        #expect(list.status == 200)
        #expect(list.text.contains(">battery<"))
        #expect(!list.text.contains(">theirs<"))
        let theirs = try console.id(ofAsset: "theirs")
        #expect(try await prosumer.get("/assets/\(theirs)").status == 403)
        #expect(try await prosumer.get("/assets/\(theirs)/edit").status == 403)
        #expect(try await prosumer.get("/assets/\(theirs)/chart/data").status == 403)
        #expect(try await prosumer.get("/assets/999999").status == 404)
        #expect(try await prosumer.get("/assets/abc").status == 404)
        let dashboard = try await prosumer.get("/dashboard")
        #expect(dashboard.text.contains("battery"))
        #expect(!dashboard.text.contains("theirs"))
        let map = try #require(try await prosumer.get("/charts/map/data").jsonList)
        #expect(map.filter { $0["frame"] as? Bool == false }.count == 3)
        let admin = try await console.signedIn("admin")
        #expect(try await admin.get("/assets/\(theirs)").status == 200)
    }

    @Test func onlyAdminsCreateAndDeleteAssets() async throws {
        let console = try InProcessConsole()
        let prosumer = try await console.signedIn("prosumer")
        #expect(try await prosumer.get("/assets/new").status == 403)
        let battery = try console.id(ofAsset: "battery")
        #expect(try await prosumer.post("/assets/\(battery)/delete", form: [:]).status == 403)
        #expect(try console.site.registry.asset(id: battery) != nil)
        let created = try await prosumer.post("/assets", form: Self.newAsset)
        #expect(created.status == 403)
        #expect(try console.site.registry.asset(named: "pv2") == nil)
    }

    static let newAsset = [
        "name": "pv2", "asset_type": "solar", "owner": "2", "capacity_in_mw": "0.5", "event_resolution": "15",
        "latitude": "52.3", "longitude": "4.8", "market": "1",
    ]

    @Test func anAdminCreatesEditsAndDeletesAnAssetThroughTheForms() async throws {
        let console = try InProcessConsole()
        let admin = try await console.signedIn("admin")
        #expect(try await admin.get("/assets/new").status == 200)
        let created = try await admin.post("/assets", form: Self.newAsset)
        #expect(created.status == 303)
        let asset = try #require(try console.site.registry.asset(named: "pv2"))
        #expect(created.location == "/assets/\(asset.id)")
        #expect(asset.fields.capacityInMW == 0.5)
        #expect(asset.fields.ownerID == 2)

        var edit = AssetDraftValues(asset)
        edit["capacity_in_mw"] = "0.75"
        #expect(try await admin.post("/assets/\(asset.id)", form: edit).status == 303)
        #expect(try console.site.registry.asset(id: asset.id)?.fields.capacityInMW == 0.75)

        #expect(try await admin.post("/assets/\(asset.id)/delete", form: [:]).location == "/assets")
        #expect(try console.site.registry.asset(id: asset.id) == nil)
    }

    @Test func invalidFieldsAreShownPerFieldAndNothingIsStored() async throws {
        let console = try InProcessConsole()
        let admin = try await console.signedIn("admin")
        var form = Self.newAsset
        form["capacity_in_mw"] = "lots"
        form["latitude"] = "123"
        form["event_resolution"] = "0"
        form["name"] = ""
        let reply = try await admin.post("/assets", form: form)
        #expect(reply.status == 422)
        #expect(reply.text.contains("id=\"capacity_in_mw-error\">Not a valid number."))
        #expect(reply.text.contains("id=\"event_resolution-error\""))
        #expect(reply.text.contains("id=\"name-error\""))
        #expect(try console.site.registry.assets().count == 4)
        // The registry's own checks (latitude range) come back per field too.
        var registryInvalid = Self.newAsset
        registryInvalid["latitude"] = "123"
        let second = try await admin.post("/assets", form: registryInvalid)
        #expect(second.status == 422)
        #expect(second.text.contains("id=\"latitude-error\""))
        #expect(try console.site.registry.asset(named: "pv2") == nil)
        // So do the efficiencies' bounds, which only the registry checks.
        var lossy = Self.newAsset
        lossy["charging_efficiency"] = "1.5"
        let third = try await admin.post("/assets", form: lossy)
        #expect(third.status == 422)
        #expect(third.text.contains("id=\"charging_efficiency-error\""))
        #expect(try console.site.registry.asset(named: "pv2") == nil)
        // What was typed stays in the form, escaped.
        var script = Self.newAsset
        script["name"] = "<script>alert(1)</script>"
        script["capacity_in_mw"] = "x"
        let escaped = try await admin.post("/assets", form: script)
        #expect(!escaped.text.contains("<script>alert(1)</script>"))
        #expect(escaped.text.contains("&lt;script&gt;"))
    }

    @Test func aProsumerEditsTheirAssetButCannotGiveItAway() async throws {
        let console = try InProcessConsole()
        let prosumer = try await console.signedIn("prosumer")
        let battery = try #require(try console.site.registry.asset(named: "battery"))
        var form = AssetDraftValues(battery)
        form["display_name"] = "Big battery"
        #expect(try await prosumer.post("/assets/\(battery.id)", form: form).status == 303)
        #expect(try console.site.registry.asset(id: battery.id)?.fields.displayName == "Big battery")
        form["owner"] = "3"
        #expect(try await prosumer.post("/assets/\(battery.id)", form: form).status == 403)
        #expect(try console.site.registry.asset(id: battery.id)?.fields.ownerID == 2)
    }

    @Test func theChartDataFollowTheWindowAndTheCSVMatches() async throws {
        let console = try InProcessConsole()
        let solar = try #require(try console.site.registry.asset(named: "solar"))
        let day = Instant(microsecondsSinceEpoch: 1_700_000_000_000_000).floored(to: .days(1))
        let source = try console.site.registry.dataSource(ofUser: try #require(try console.site.registry.user(email: "prosumer@example.com")))
        let beliefs = (0..<96).map { slot in
            Belief(sensorID: solar.id, eventStart: day + .minutes(Int64(15 * slot)), beliefTime: day + .days(2), sourceID: source.id, value: -Double(slot) / 100)
        }
        _ = try await console.site.store.append(beliefs)
        let prosumer = try await console.signedIn("prosumer")
        let date = String(day.iso8601.prefix(10))
        let data = try #require(try await prosumer.get("/assets/\(solar.id)/chart/data?start=\(date)&end=\(date)").jsonList)
        #expect(data.count == 96)
        #expect(data.allSatisfy { $0["line"] as? String == "measurements" })
        let hourly = try #require(try await prosumer.get("/assets/\(solar.id)/chart/data?start=\(date)&end=\(date)&resolution=60").jsonList)
        #expect(hourly.count == 24)
        let csv = try await prosumer.get("/assets/\(solar.id)/chart/data?start=\(date)&end=\(date)&format=csv")
        #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
        #expect(csv.text.split(separator: "\n").count == 97)
        let spec = try await prosumer.get("/assets/\(solar.id)/chart/spec")
        #expect(spec.text.contains("\"name\": \"values\""))
        let odd = try await prosumer.get("/assets/\(solar.id)?start=9999-99-99")
        #expect(odd.status == 200)
        #expect(odd.text.contains("The window was not understood"))
        let page = try await prosumer.get("/assets/\(solar.id)?start=\(date)&end=\(date)&resolution=60")
        #expect(!page.text.contains("The window was not understood"))
        #expect(page.text.contains("data-data-url=\"/assets/\(solar.id)/chart/data?start=\(date)&amp;end=\(date)&amp;resolution=60\""))
    }
}

extension AssetPageTests {
    /// FLEXMEASURES_DEMO_YEAR: a day of data a year ago is charted as if it were this year's.
    @Test func demoModeShowsTheDemoYearsDataAsThisYears() async throws {
        let thisYear = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date()).year!
        let console = try InProcessConsole {
            $0.demoMode = true
            $0.demoYear = thisYear - 1
        }
        let solar = try #require(try console.site.registry.asset(named: "solar"))
        let now = Instant.now()
        let shift = console.services.settings.demoShift(at: now)
        #expect(shift >= .days(365) && shift <= .days(366))
        let yesterday = now.floored(to: .days(1)) - .days(1)
        let source = try console.site.registry.dataSource(ofUser: try #require(try console.site.registry.user(email: "prosumer@example.com")))
        let then = yesterday - shift
        let beliefs = (0..<4).map { slot in
            Belief(sensorID: solar.id, eventStart: then + .minutes(Int64(15 * slot)), beliefTime: then + .days(1), sourceID: source.id, value: -1)
        }
        _ = try await console.site.store.append(beliefs)
        let prosumer = try await console.signedIn("prosumer")
        let date = String(yesterday.iso8601.prefix(10))
        let data = try #require(try await prosumer.get("/assets/\(solar.id)/chart/data?start=\(date)&end=\(date)").jsonList)
        #expect(data.count == 4)
        #expect((data.first?["time"] as? Double).map { Int64($0) } == (then + shift).microsecondsSinceEpoch / 1000)
        // Without demo mode the same window shows nothing.
        let plain = try InProcessConsole()
        #expect(plain.services.settings.demoShift(at: now) == .zero)
    }
}

/// The edit form's fields of an asset as the page fills them.
func AssetDraftValues(_ asset: Asset) -> [String: String] {
    let fields = asset.fields
    func text(_ value: Double?) -> String { value.map { String($0) } ?? "" }
    return [
        "name": fields.name, "display_name": fields.displayName, "asset_type": fields.assetTypeName, "owner": String(fields.ownerID),
        "market": fields.marketID.map(String.init) ?? "", "capacity_in_mw": text(fields.capacityInMW),
        "event_resolution": String(fields.eventResolution.microseconds / 60_000_000), "latitude": text(fields.latitude),
        "longitude": text(fields.longitude), "min_soc_in_mwh": text(fields.minSOCInMWh), "max_soc_in_mwh": text(fields.maxSOCInMWh),
        "charging_efficiency": text(fields.chargingEfficiency), "discharging_efficiency": text(fields.dischargingEfficiency),
    ]
}

@Suite struct MapFrameTests {
    /// One asset (or several on one spot) still gets a frame around it: the projection has a size to fit.
    @Test func aSingleAssetIsFramedSoTheMapHasSomethingToFit() throws {
        let frame = try #require(ChartRoutes.frame(around: [(52.37, 4.89)]))
        #expect(frame.count == 2)
        #expect(frame[0].0 < 52.37 && frame[1].0 > 52.37)
        #expect(frame[0].1 < 4.89 && frame[1].1 > 4.89)
        #expect(ChartRoutes.frame(around: []) == nil)
        // At the edge of the world the frame stays on it.
        let edge = try #require(ChartRoutes.frame(around: [(90, 180), (-90, -180)]))
        #expect(edge[0].0 >= -90 && edge[1].0 <= 90 && edge[0].1 >= -180 && edge[1].1 <= 180)
    }
}
