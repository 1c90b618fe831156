import API
import Beliefs
import Foundation
import Site
import Testing

/// `GET/POST /api/v2_0/silences` and `DELETE /api/v2_0/silence/<id>`: silences by matchers as Alertmanager
/// takes them; admins silence anything, a prosumer only what is confined to their own assets' sensors.
@Suite struct SilenceRoutesTests {
    static func matcher(_ name: String, _ value: String, equal: Bool = true) -> [String: Any] {
        ["name": name, "value": value, "isEqual": equal, "isRegex": false]
    }

    @Test func anAdminSilencesByMatchersListsAndExpires() async throws {
        let site = try InProcessSite()
        let created = try await site.send("POST", "/api/v2_0/silences", as: "admin", json: [
            "matchers": [Self.matcher("alertname", "failed jobs"), "queue!=delivery"], "duration": "PT2H", "comment": "maintenance",
            "createdBy": "somebody else",
        ] as [String: Any])
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.json?["id"] as? Double)
        #expect(created.json?["created_by"] as? String == "admin", "the token's user, not what was sent")
        let matchers = created.json?["matchers"] as? [[String: Any]] ?? []
        #expect(matchers.map { "\($0["name"] as? String ?? "") \($0["value"] as? String ?? "") \($0["isEqual"] as? Bool ?? false)" } == [
            "alertname failed jobs true", "queue delivery false",
        ])
        let listed = try await site.send("GET", "/api/v2_0/silences", as: "admin")
        #expect(listed.jsonList?.compactMap { $0["id"] as? Double } == [id])
        #expect(listed.headers["x-total-count"] == "1")
        #expect(try await site.send("DELETE", "/api/v2_0/silence/\(Int(id))", as: "admin").status == 204)
        #expect(try await site.send("GET", "/api/v2_0/silences", as: "admin").jsonList?.isEmpty == true)
        #expect(try await site.send("DELETE", "/api/v2_0/silence/999", as: "admin").status == 404)
    }

    @Test func aProsumerSilencesOnlyWhatIsConfinedToTheirOwnAssets() async throws {
        let site = try InProcessSite()
        for matchers in [
            [Self.matcher("alertname", "battery hot")], [Self.matcher("sensor_id", "5")], [Self.matcher("sensor_id", "4", equal: false)],
            [Self.matcher("sensor_id", "04")], [Self.matcher("sensor_id", "1")],
        ] {
            let refused = try await site.send("POST", "/api/v2_0/silences", as: "prosumer", json: ["matchers": matchers, "duration": "PT1H"] as [String: Any])
            #expect(refused.status == 403, "\(matchers): \(refused.text)")
            #expect(refused.statusString == "INVALID_SENDER")
            #expect(refused.text.contains("sensor_id=<id> of an asset of yours"), "\(refused.text)")
        }
        let own = try await site.send("POST", "/api/v2_0/silences", as: "prosumer", json: [
            "matchers": [Self.matcher("sensor_id", "4"), Self.matcher("alertname", "battery hot")], "duration": "PT1H",
        ] as [String: Any])
        #expect(own.status == 201, "\(own.text)")
        let ownID = try #require(own.json?["id"] as? Double)
        let admins = try await site.send("POST", "/api/v2_0/silences", as: "admin", json: ["matchers": ["kind=gap"], "duration": "PT1H"] as [String: Any])
        let adminsID = try #require(admins.json?["id"] as? Double)

        #expect(try await site.send("GET", "/api/v2_0/silences", as: "prosumer").jsonList?.compactMap { $0["id"] as? Double } == [ownID])
        #expect(try await site.send("GET", "/api/v2_0/silences", as: "other").jsonList?.isEmpty == true)
        #expect(try await site.send("GET", "/api/v2_0/silences", as: "admin").jsonList?.count == 2)
        #expect(try await site.send("DELETE", "/api/v2_0/silence/\(Int(ownID))", as: "other").status == 403)
        #expect(try await site.send("DELETE", "/api/v2_0/silence/\(Int(adminsID))", as: "prosumer").status == 403)
        #expect(try await site.send("DELETE", "/api/v2_0/silence/\(Int(ownID))", as: "prosumer").status == 204)
        #expect(try await site.send("GET", "/api/v2_0/silences", as: nil).status == 401)
    }

    static let refused: [(body: [String: String], field: String)] = [
        (["duration": "PT1H"], "matchers"),
        (["matchers": #"[{"name": "alertname", "value": "hot", "isRegex": true}]"#, "duration": "PT1H"], "matchers"),
        (["matchers": #"[{"name": "1bad", "value": "hot"}]"#, "duration": "PT1H"], "matchers"),
        (["matchers": #"[{"name": "alertname", "value": 3}]"#, "duration": "PT1H"], "matchers"),
        (["matchers": #"[{"name": "alertname", "value": "hot", "isEqual": "yes"}]"#, "duration": "PT1H"], "matchers"),
        (["matchers": #"["alertname"]"#, "duration": "PT1H"], "matchers"),
        (["matchers": #"[]"#, "duration": "PT1H"], "matchers"),
        (["matchers": #"["alertname=hot"]"#, "duration": "PT1S"], "duration"),
        (["matchers": #"["alertname=hot"]"#], "duration"),
        (["matchers": #"["alertname=hot"]"#, "duration": "PT1H", "endsAt": "2030-01-01T00:00:00Z"], "endsAt"),
        (["matchers": #"["alertname=hot"]"#, "endsAt": "tomorrow"], "endsAt"),
        (["matchers": #"["alertname=hot"]"#, "duration": "PT1H", "startsAt": "2999-01-01T00:00:00Z"], "startsAt"),
        (["matchers": #"["alertname=hot"]"#, "duration": "PT1H", "colour": "\"red\""], "colour"),
    ]

    @Test(arguments: refused)
    func badSilencesGet422NamingTheField(body: [String: String], field: String) async throws {
        let site = try InProcessSite()
        // Values are JSON text (a list, a number), or plain strings.
        var json: [String: Any] = [:]
        for (key, text) in body {
            json[key] = (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) ?? text
        }
        let reply = try await site.send("POST", "/api/v2_0/silences", as: "admin", json: json)
        #expect(reply.status == 422, "\(reply.text)")
        #expect((reply.json?["errors"] as? [String: Any])?.keys.contains(field) == true, "\(reply.text)")
        #expect(try await site.send("GET", "/api/v2_0/silences", as: "admin").jsonList?.isEmpty == true)
    }

    @Test func tooManyMatchersAreRefused() async throws {
        let site = try InProcessSite()
        let matchers = (0...Site.maximumMatchers).map { "label\($0)=x" }
        let reply = try await site.send("POST", "/api/v2_0/silences", as: "admin", json: ["matchers": matchers, "duration": "PT1H"] as [String: Any])
        #expect(reply.status == 422, "\(reply.text)")
    }

    @Test func aSilenceUntilEndsAtMutesTheAlert() async throws {
        let site = try InProcessSite()
        #expect(try await site.send("POST", "/api/v2_0/alert-rules", as: "prosumer", json: [
            "name": "battery hot", "kind": "threshold_above", "sensor_id": 4, "value": 1,
        ]).status == 201)
        let end = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
        let silence = try await site.send("POST", "/api/v2_0/silences", as: "prosumer", json: [
            "matchers": ["sensor_id=4"], "endsAt": end, "comment": "replacing the meter",
        ] as [String: Any])
        #expect(silence.status == 201, "\(silence.text)")
        #expect(silence.json?["ends_at"] as? String == end)
        let slot = Instant.now().floored(to: .minutes(15)) - .minutes(15)
        try await site.services.site.ingest(
            [Belief(sensorID: 4, eventStart: slot, beliefTime: slot + .minutes(15), sourceID: 0, value: 3)], from: .user(id: 2, name: "prosumer")
        )
        let alerts = try await site.send("GET", "/api/v2_0/alerts", as: "prosumer")
        #expect(alerts.jsonList?.first?["silenced"] as? Bool == true, "\(alerts.text)")
        #expect(try site.services.site.notices().isEmpty)
    }
}
