import API
import Beliefs
import Foundation
import Site
import Testing

/// The v2.0 alerting resources in process: rules' CRUD, roles, per-field 422s, acknowledging and
/// silencing, and `ALERTS` in /metrics.
@Suite struct AlertRoutesTests {
    static var batteryRule: [String: Any] { [
        "name": "battery hot", "kind": "threshold_above", "sensor_id": 4, "value": 1, "recovery": 0.5, "severity": "critical",
    ] }

    @Test func anOwnerCreatesReadsUpdatesAndDeletesTheRulesOfTheirAsset() async throws {
        let site = try InProcessSite()
        let created = try await site.send("POST", "/api/v2_0/alert-rules", as: "prosumer", json: Self.batteryRule)
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.json?["id"] as? Double)
        #expect(created.json?["for"] as? String == "PT0S")
        #expect(created.json?["created_by"] as? String == "prosumer")
        let listed = try await site.send("GET", "/api/v2_0/alert-rules", as: "prosumer")
        #expect(listed.jsonList?.compactMap { $0["id"] as? Double } == [id])
        let read = try await site.send("GET", "/api/v2_0/alert-rule/\(Int(id))", as: "prosumer")
        #expect(read.json?["name"] as? String == "battery hot")
        let patched = try await site.send("PATCH", "/api/v2_0/alert-rule/\(Int(id))", as: "prosumer", json: ["value": 2, "for": "PT15M"])
        #expect(patched.status == 200, "\(patched.text)")
        #expect(patched.json?["value"] as? Double == 2)
        #expect(patched.json?["recovery"] as? Double == 0.5)
        #expect(patched.json?["for"] as? String == "PT15M")
        #expect(try await site.send("DELETE", "/api/v2_0/alert-rule/\(Int(id))", as: "prosumer").status == 204)
        #expect(try await site.send("GET", "/api/v2_0/alert-rule/\(Int(id))", as: "prosumer").status == 404)
    }

    @Test func onlyAdminsManageRulesBeyondTheirOwnAssets() async throws {
        let site = try InProcessSite()
        for rule: [String: Any] in [
            ["name": "site gap", "kind": "gap"], ["name": "type gap", "kind": "gap", "asset_type": "battery"],
            ["name": "their gap", "kind": "gap", "sensor_id": 5], ["name": "prices", "kind": "threshold_above", "sensor_id": 1, "value": 100],
            ["name": "jobs", "kind": "job_failed"],
        ] {
            let reply = try await site.send("POST", "/api/v2_0/alert-rules", as: "prosumer", json: rule)
            #expect(reply.status == 403, "\(rule): \(reply.text)")
            #expect(reply.statusString == "INVALID_SENDER")
            #expect(try await site.send("POST", "/api/v2_0/alert-rules", as: "admin", json: rule).status == 201)
        }
        #expect(try await site.send("GET", "/api/v2_0/alert-rules", as: "prosumer").jsonList?.isEmpty == true)
        #expect(try await site.send("GET", "/api/v2_0/alert-rules", as: "admin").jsonList?.count == 5)
        for (method, json) in [("GET", nil), ("PATCH", ["value": 1] as [String: Any]?), ("DELETE", nil)] {
            let reply = try await site.send(method, "/api/v2_0/alert-rule/1", as: "prosumer", json: json)
            #expect(reply.status == 403, "\(method): \(reply.text)")
        }
        #expect(try await site.send("GET", "/api/v2_0/alert-rule/99", as: "admin").status == 404)
        let mine = try await site.send("POST", "/api/v2_0/alert-rules", as: "prosumer", json: Self.batteryRule)
        let id = try #require(mine.json?["id"] as? Double)
        let moved = try await site.send("PATCH", "/api/v2_0/alert-rule/\(Int(id))", as: "prosumer", json: ["sensor_id": 5])
        #expect(moved.status == 403, "an owner cannot move a rule onto someone else's asset: \(moved.text)")
    }

    @Test func badFieldsGet422NamingEachField() async throws {
        let site = try InProcessSite()
        let reply = try await site.send("POST", "/api/v2_0/alert-rules", as: "admin", json: [
            "name": "", "kind": "threshold_above", "sensor_id": 4, "value": "hot", "for": "P99999D", "repeat_interval": "soon",
            "window": "01:00-05:00",
        ])
        #expect(reply.status == 422, "\(reply.text)")
        let errors = try #require(reply.json?["errors"] as? [String: Any])
        #expect(Set(errors.keys) == ["name", "value", "for", "repeat_interval", "window"])
        #expect(try await site.send("GET", "/api/v2_0/alert-rules", as: "admin").jsonList?.isEmpty == true, "nothing created")
        #expect(try await site.send("POST", "/api/v2_0/alert-rules", as: "admin", json: [1, 2]).status == 422)
        let badState = try await site.get("/api/v2_0/alerts", as: "admin", query: ["state": "burning"])
        #expect(badState.status == 422)
    }

    @Test func anAdminWatchesTheUplinkWithAnUplinkStuckRule() async throws {
        let site = try InProcessSite()
        let rule: [String: Any] = ["name": "uplink stuck", "kind": "uplink_stuck", "duration": "PT1H", "severity": "critical"]
        let refused = try await site.send("POST", "/api/v2_0/alert-rules", as: "prosumer", json: rule)
        #expect(refused.status == 403, "a rule of the whole site is for admins: \(refused.text)")
        #expect(refused.statusString == "INVALID_SENDER")
        let created = try await site.send("POST", "/api/v2_0/alert-rules", as: "admin", json: rule)
        #expect(created.status == 201, "\(created.text)")
        #expect(created.json?["kind"] as? String == "uplink_stuck")
        #expect(created.json?["duration"] as? String == "PT1H")
        #expect(created.json?["sensor_id"] is NSNull)
        let id = try #require(created.json?["id"] as? Double)
        let patched = try await site.send("PATCH", "/api/v2_0/alert-rule/\(Int(id))", as: "admin", json: ["duration": "PT2H"])
        #expect(patched.status == 200, "\(patched.text)")
        #expect(patched.json?["duration"] as? String == "PT2H")

        for (fields, field) in [
            (["duration": "PT10S"] as [String: Any], "duration"), (["duration": "an hour"], "duration"), ([:], "duration"),
            (["duration": "PT1H", "sensor_id": 4], "sensor_id"), (["duration": "PT1H", "source_id": 1], "source_id"),
        ] {
            var sent = rule
            sent["duration"] = nil
            sent.merge(fields) { $1 }
            let reply = try await site.send("POST", "/api/v2_0/alert-rules", as: "admin", json: sent)
            #expect(reply.status == 422, "\(fields): \(reply.text)")
            #expect(reply.statusString == "UNPROCESSABLE_ENTITY")
            #expect((reply.json?["errors"] as? [String: Any]).map { Set($0.keys) } == [field], "\(fields): \(reply.text)")
        }
        let badPatch = try await site.send("PATCH", "/api/v2_0/alert-rule/\(Int(id))", as: "admin", json: ["duration": "P400D"])
        #expect(badPatch.status == 422, "\(badPatch.text)")
        #expect(try await site.send("GET", "/api/v2_0/alert-rule/\(Int(id))", as: "admin").json?["duration"] as? String == "PT2H")
        #expect(try await site.send("GET", "/api/v2_0/alert-rules", as: "admin").jsonList?.count == 1, "nothing else created")
    }

    @Test func anOwnerAcknowledgesAndSilencesTheirAlert() async throws {
        let site = try InProcessSite()
        let created = try await site.send("POST", "/api/v2_0/alert-rules", as: "prosumer", json: Self.batteryRule)
        #expect(created.status == 201)
        let slot = Instant.now().floored(to: .minutes(15)) - .minutes(15)
        try await site.services.site.ingest(
            [Belief(sensorID: 4, eventStart: slot, beliefTime: slot + .minutes(15), sourceID: 0, value: 3)], from: .user(id: 2, name: "prosumer")
        )
        let firing = try await site.get("/api/v2_0/alerts", as: "prosumer", query: ["state": "firing"])
        let alert = try #require(firing.jsonList?.first)
        #expect((alert["labels"] as? [String: String])?["asset"] == "battery")
        let id = try #require(alert["id"] as? Double)
        #expect(try await site.send("GET", "/api/v2_0/alerts", as: "other").jsonList?.isEmpty == true)
        #expect(try await site.send("POST", "/api/v2_0/alert/\(Int(id))/acknowledge", as: "other", json: [:] as [String: String]).status == 403)

        let acknowledged = try await site.send("POST", "/api/v2_0/alert/\(Int(id))/acknowledge", as: "prosumer", json: ["comment": "on my way"])
        #expect(acknowledged.status == 200, "\(acknowledged.text)")
        let acknowledgement = try #require(acknowledged.json?["acknowledgement"] as? [String: Any])
        #expect(acknowledgement["by"] as? String == "prosumer")
        #expect(acknowledgement["comment"] as? String == "on my way")

        let badSilence = try await site.send("POST", "/api/v2_0/alert/\(Int(id))/silence", as: "prosumer", json: ["duration": "P999D", "colour": "red"])
        #expect(badSilence.status == 422)
        let silence = try await site.send("POST", "/api/v2_0/alert/\(Int(id))/silence", as: "prosumer", json: ["duration": "PT2H", "comment": "maintenance"])
        #expect(silence.status == 201, "\(silence.text)")
        let matchers = (silence.json?["matchers"] as? [[String: Any]] ?? []).map { "\($0["name"] as? String ?? "")=\($0["value"] as? String ?? "")" }
        #expect(Set(matchers) == ["rule_id=\(Int(created.json!["id"] as! Double))", "sensor_id=4"])
        let after = try await site.send("GET", "/api/v2_0/alerts", as: "prosumer")
        #expect(after.jsonList?.first?["silenced"] as? Bool == true)

        let metrics = try await site.send("GET", "/metrics", as: nil)
        #expect(metrics.text.contains("ALERTS{alertname=\"battery hot\",alertstate=\"firing\",asset=\"battery\""), "\(metrics.text.suffix(600))")
    }
}
