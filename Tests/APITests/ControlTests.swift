import Foundation
import Testing
import TestSupport

/// postUdiEvent and getDeviceMessage, with the scheduler and the job queue behind them.
@Suite(.serialized) struct ControlTests {
    static let day = "2015-06-02"
    static func event(_ id: Int, _ type: String = "soc", asset: String = InProcessSite.battery) -> String { "\(asset):\(id):\(type)" }

    /// 48 hourly prices from midnight: cheap at night, dear in the evening.
    func postPrices(_ site: InProcessSite, hours: Int = 48) async throws {
        let prices = (0..<hours).map { hour -> Double in
            let h = Double(hour % 24)
            return ((40 + 25 * sin((h - 9) / 24 * 2 * .pi)) * 100).rounded() / 100
        }
        let reply = try await site.send("POST", "/api/v2_0/postPriceData", as: "prosumer", json: [
            "type": "PostPriceDataRequest", "market": "ea1.2021-01.io.flexmeasures:epex_da", "values": prices,
            "start": "\(Self.day)T00:00:00Z", "duration": "PT\(hours)H", "prior": "2015-06-01T12:00:00Z", "unit": "EUR/MWh",
        ])
        try #require(reply.status == 200, "\(reply.text)")
    }

    func postEvent(_ site: InProcessSite, version: String = "v2_0", _ body: [String: Any]) async throws -> InProcessSite.Reply {
        var message: [String: Any] = ["type": "PostUdiEventRequest", "unit": "kWh", "datetime": "\(Self.day)T10:00:00+00:00", "value": 1210]
        for (key, value) in body { message[key] = value }
        return try await site.send("POST", "/api/\(version)/postUdiEvent", as: "prosumer", json: message)
    }

    func deviceMessage(_ site: InProcessSite, version: String = "v2_0", event: String, duration: String? = nil) async throws -> InProcessSite.Reply {
        var query = ["type": "GetDeviceMessageRequest", "event": event]
        if let duration { query["duration"] = duration }
        return try await site.get("/api/\(version)/getDeviceMessage", as: "prosumer", query: query)
    }

    /// Asks until the job has finished or failed (UNKNOWN_SCHEDULE "waiting"/"in progress" meanwhile).
    func awaitDeviceMessage(_ site: InProcessSite, version: String = "v2_0", event: String, duration: String? = nil) async throws -> InProcessSite.Reply {
        for _ in 0..<200 {
            await site.runQueuedJobs()
            let reply = try await deviceMessage(site, version: version, event: event, duration: duration)
            let message = reply.json?["message"] as? String ?? ""
            if !(reply.statusString == "UNKNOWN_SCHEDULE" && (message.contains("waiting") || message.contains("in progress"))) {
                return reply
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw InProcessSite.Failure(description: "the schedule never became ready")
    }

    @Test func aStateOfChargeBetweenHourlyPricesIsPlannedFromTheHourThatHoldsIt() async throws {
        let site = try InProcessSite()
        try await postPrices(site)
        let posted = try await postEvent(site, ["event": Self.event(205), "datetime": "\(Self.day)T10:15:00+00:00"])
        #expect(posted.status == 200, "\(posted.text)")
        let reply = try await awaitDeviceMessage(site, event: Self.event(205))
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.json?["start"] as? String == "\(Self.day)T10:15:00Z")
        // 48 h of hourly prices from midnight leave 37 h 45 min from 10:15: 151 quarter hours.
        #expect((reply.json?["values"] as? [Double])?.count == 151, "\(reply.text)")
    }

    @Test(arguments: ["v1_3", "v2_0"])
    func aUDIEventWithTargetsGetsAPlanThatMeetsThem(version: String) async throws {
        let site = try InProcessSite()
        try await postPrices(site)
        let posted = try await postEvent(site, version: version, [
            "event": Self.event(204, "soc-with-targets"),
            "targets": [["value": 4500, "datetime": "\(Self.day)T16:00:00+00:00"]],
        ])
        #expect(posted.status == 200, "\(posted.text)")
        #expect(posted.json?["type"] as? String == "PostUdiEventResponse")
        // The event may be named with either type (API-NOTES).
        let reply = try await awaitDeviceMessage(site, version: version, event: Self.event(204, "soc"))
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.json?["type"] as? String == "GetDeviceMessageResponse")
        #expect(reply.json?["start"] as? String == "\(Self.day)T10:00:00Z")
        let values = try #require(reply.json?["values"] as? [Double])
        // 48 h of known prices from 10:00 on the first day leave 38 h: 152 quarter hours.
        #expect(values.count == 152)
        #expect(values.allSatisfy { abs($0) <= 2 + 1e-9 })
        let soc = values.prefix(24).reduce(1.21) { $0 + $1 * 0.25 }
        #expect(abs(soc - 4.5) < 1e-6, "target of 4.5 MWh at 16:00 met: \(soc)")
        var level = 1.21
        for value in values {
            level += value * 0.25
            #expect(level >= -1e-9 && level <= 5 + 1e-9)
        }
        // The duration selects a prefix of the same plan.
        let prefix = try await deviceMessage(site, version: version, event: Self.event(204, "soc-with-targets"), duration: "PT6H")
        #expect(prefix.json?["values"] as? [Double] == Array(values.prefix(24)))
        #expect(prefix.json?["duration"] as? String == "PT6H")
        // The plan is stored as beliefs of the asset: getPrognosis serves it.
        let prognosis = try await site.get("/api/v2_0/getPrognosis", as: "prosumer", query: [
            "type": "GetPrognosisRequest", "connection": InProcessSite.battery, "start": "\(Self.day)T10:00:00Z", "duration": "PT1H", "unit": "MW",
        ])
        #expect(prognosis.json?["values"] as? [Double] == Array(values.prefix(4)), "\(prognosis.text)")
        let asset = try await site.send("GET", "/api/v2_0/asset/4", as: "prosumer")
        #expect(asset.json?["soc_udi_event_id"] as? Int == 204)
        #expect(asset.json?["soc_in_mwh"] as? Double == 1.21)
        #expect(asset.json?["soc_datetime"] as? String == "\(Self.day)T10:00:00+00:00")
    }

    @Test func version12PlansOnRequestAndNeedsPrices() async throws {
        let site = try InProcessSite()
        #expect(try await postEvent(site, version: "v1_2", ["event": Self.event(10)]).status == 200)
        let noPrices = try await deviceMessage(site, version: "v1_2", event: Self.event(10))
        #expect(noPrices.statusString == "UNKNOWN_PRICES", "\(noPrices.text)")
        try await postPrices(site)
        let planned = try await deviceMessage(site, version: "v1_2", event: Self.event(10), duration: "PT2H")
        #expect(planned.status == 200, "\(planned.text)")
        #expect((planned.json?["values"] as? [Double])?.count == 8)
        let withTargets = try await postEvent(site, version: "v1_2", ["event": Self.event(11, "soc-with-targets"), "targets": [["value": 1, "datetime": "\(Self.day)T12:00:00Z"]]])
        #expect(withTargets.statusString == "UNRECOGNIZED_UDI_EVENT")
    }

    @Test func aFailedJobSaysWhy() async throws {
        let site = try InProcessSite()
        try await postPrices(site)
        #expect(try await postEvent(site, ["event": Self.event(7, "soc-with-targets"), "targets": [["value": 25000, "datetime": "\(Self.day)T16:00:00Z"]]]).status == 200)
        let reply = try await awaitDeviceMessage(site, event: Self.event(7))
        #expect(reply.statusString == "UNKNOWN_SCHEDULE")
        let message = reply.json?["message"] as? String ?? ""
        #expect(message.hasPrefix("Scheduling job failed: infeasible"), "\(message)")
        #expect(message.contains("25.0 MWh"))
    }

    @Test func missingPricesFailTheJobWithTheirReason() async throws {
        let site = try InProcessSite()
        #expect(try await postEvent(site, ["event": Self.event(3)]).status == 200)
        let reply = try await awaitDeviceMessage(site, event: Self.event(3))
        #expect((reply.json?["message"] as? String)?.contains("prices unknown") == true, "\(reply.text)")
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let label: String
        let version: String
        let body: [String: String]
        let targets: Bool
        let status: String
        var testDescription: String { label }
    }

    static let refusals: [Refusal] = [
        Refusal(label: "not a battery or charge point", version: "v2_0", body: ["event": event(1, asset: InProcessSite.solar)], targets: false, status: "INVALID_DOMAIN"),
        Refusal(label: "not an address", version: "v2_0", body: ["event": "battery 4"], targets: false, status: "INVALID_DOMAIN"),
        Refusal(label: "someone else's asset", version: "v2_0", body: ["event": event(1, asset: InProcessSite.theirs)], targets: false, status: "UNRECOGNIZED_CONNECTION_GROUP"),
        Refusal(label: "unknown event type", version: "v2_0", body: ["event": event(1, "soc-with-wishes")], targets: false, status: "UNRECOGNIZED_UDI_EVENT"),
        Refusal(label: "unit", version: "v2_0", body: ["event": event(1), "unit": "%"], targets: false, status: "INVALID_UNIT"),
        Refusal(label: "naive datetime", version: "v2_0", body: ["event": event(1), "datetime": "2015-06-02T10:00:00"], targets: false, status: "INVALID_TIMEZONE"),
        Refusal(label: "targets missing", version: "v1_3", body: ["event": event(1, "soc-with-targets")], targets: false, status: "INCOMPLETE_UDI_EVENT"),
        Refusal(label: "target beyond the horizon", version: "v2_0", body: ["event": event(1, "soc-with-targets"), "target_time": "2015-06-05T10:00:00Z"], targets: true, status: "INVALID_DATETIME"),
        Refusal(label: "wrong type", version: "v2_0", body: ["event": event(1), "type": "PostMeterDataRequest"], targets: false, status: "INVALID_MESSAGE_TYPE"),
    ]

    @Test(arguments: refusals)
    func invalidEventsAreRefused(_ refusal: Refusal) async throws {
        let site = try InProcessSite()
        var body: [String: Any] = refusal.body.filter { $0.key != "target_time" }
        if refusal.targets { body["targets"] = [["value": 1000, "datetime": refusal.body["target_time"]!]] }
        let reply = try await postEvent(site, version: refusal.version, body)
        #expect(reply.status == 400, "\(reply.text)")
        #expect(reply.statusString == refusal.status, "\(reply.text)")
        #expect(try await site.send("GET", "/api/v2_0/asset/4", as: "prosumer").json?["soc_udi_event_id"] is NSNull, "nothing stored")
    }

    @Test func eventIdsMustIncreaseAndOnlyTheLatestHasAPlan() async throws {
        let site = try InProcessSite()
        try await postPrices(site)
        #expect(try await postEvent(site, ["event": Self.event(5)]).status == 200)
        #expect(try await postEvent(site, ["event": Self.event(5)]).statusString == "OUTDATED_UDI_EVENT")
        #expect(try await postEvent(site, ["event": Self.event(4)]).statusString == "OUTDATED_UDI_EVENT")
        #expect(try await postEvent(site, ["event": Self.event(6), "datetime": "\(Self.day)T09:00:00Z"]).statusString == "INVALID_DATETIME")
        #expect(try await postEvent(site, ["event": Self.event(6)]).status == 200, "v2.0 allows the same datetime")
        #expect(try await deviceMessage(site, event: Self.event(5)).statusString == "UNRECOGNIZED_UDI_EVENT")
        #expect(try await awaitDeviceMessage(site, event: Self.event(6)).status == 200)
        #expect(try await deviceMessage(site, event: Self.event(6), duration: "soon").status == 422)
    }

    @Test func controlIsForProsumersAndESCos() async throws {
        let site = try InProcessSite()
        let reply = try await site.send("POST", "/api/v2_0/postUdiEvent", as: "mdc", json: ["type": "PostUdiEventRequest", "event": Self.event(1)])
        #expect(reply.status == 403)
        #expect(reply.statusString == "INVALID_SENDER")
    }
}
