import API
import Beliefs
import Foundation
import Site
import Testing

/// The alerting listings are paged (`page`, `per_page` of at most 1000), with the whole listing's count in
/// `X-Total-Count` and the next page in `Link`; a repeat interval below a minute is refused.
@Suite struct AlertListingTests {
    @Test func ruleListingsArePagedWithTheirTotal() async throws {
        let site = try InProcessSite()
        for index in 0..<5 {
            #expect(try await site.send("POST", "/api/v2_0/alert-rules", as: "admin", json: ["name": "worker \(index)", "kind": "worker_dead"]).status == 201)
        }
        let first = try await site.get("/api/v2_0/alert-rules", as: "admin", query: ["per_page": "2"])
        #expect(first.status == 200, "\(first.text)")
        #expect(first.jsonList?.compactMap { $0["name"] as? String } == ["worker 0", "worker 1"])
        #expect(first.headers["x-total-count"] == "5")
        #expect(first.headers["link"] == "</api/v2_0/alert-rules?page=2&per_page=2>; rel=\"next\"")
        let last = try await site.get("/api/v2_0/alert-rules", as: "admin", query: ["page": "3", "per_page": "2"])
        #expect(last.jsonList?.compactMap { $0["name"] as? String } == ["worker 4"])
        #expect(last.headers["link"] == nil)
        let beyond = try await site.get("/api/v2_0/alert-rules", as: "admin", query: ["page": "4", "per_page": "2"])
        #expect(beyond.jsonList?.isEmpty == true)
        #expect(beyond.headers["x-total-count"] == "5")
        let unpaged = try await site.send("GET", "/api/v2_0/alert-rules", as: "admin")
        #expect(unpaged.jsonList?.count == 5, "100 a page unless asked otherwise")
    }

    @Test(arguments: [
        ("per_page", "0"), ("per_page", "1001"), ("per_page", "many"), ("page", "0"), ("page", "1.5"), ("page", "-1"), ("page", "100001"),
    ])
    func pagingOutsideItsBoundsIsRefusedNamingTheField(field: String, value: String) async throws {
        let site = try InProcessSite()
        for path in ["/api/v2_0/alerts", "/api/v2_0/alert-rules"] {
            let reply = try await site.get(path, as: "admin", query: [field: value])
            #expect(reply.status == 422, "\(path) \(reply.text)")
            #expect((reply.json?["errors"] as? [String: Any])?.keys.sorted() == [field], "\(reply.text)")
        }
    }

    @Test func alertListingsArePagedAfterTheStateFilter() async throws {
        let site = try InProcessSite()
        for (name, value, hold) in [("hot", 1, "PT0S"), ("hotter", 2, "PT0S"), ("hot for long", 1, "PT1H")] {
            let reply = try await site.send("POST", "/api/v2_0/alert-rules", as: "admin", json: [
                "name": name, "kind": "threshold_above", "sensor_id": 4, "value": value, "for": hold,
            ])
            #expect(reply.status == 201, "\(reply.text)")
        }
        let slot = Instant.now().floored(to: .minutes(15)) - .minutes(15)
        try await site.services.site.ingest(
            [Belief(sensorID: 4, eventStart: slot, beliefTime: slot + .minutes(15), sourceID: 0, value: 3)], from: .user(id: 2, name: "prosumer")
        )
        let all = try await site.send("GET", "/api/v2_0/alerts", as: "admin")
        #expect(all.jsonList?.count == 3)
        let first = try await site.get("/api/v2_0/alerts", as: "admin", query: ["state": "firing", "per_page": "1"])
        #expect(first.headers["x-total-count"] == "2")
        #expect(first.headers["link"] == "</api/v2_0/alerts?state=firing&page=2&per_page=1>; rel=\"next\"")
        let second = try await site.get("/api/v2_0/alerts", as: "admin", query: ["state": "firing", "per_page": "1", "page": "2"])
        let names = (first.jsonList ?? []) + (second.jsonList ?? [])
        #expect(Set(names.compactMap { $0["rule_name"] as? String }) == ["hot", "hotter"])
        #expect(names.allSatisfy { $0["state"] as? String == "firing" })
        #expect(second.headers["link"] == nil)
        let pending = try await site.get("/api/v2_0/alerts", as: "admin", query: ["state": "pending"])
        #expect(pending.jsonList?.compactMap { $0["rule_name"] as? String } == ["hot for long"])
        #expect(pending.headers["x-total-count"] == "1")
    }

    @Test func aRepeatIntervalBelowAMinuteIsRefused() async throws {
        let site = try InProcessSite()
        let reply = try await site.send("POST", "/api/v2_0/alert-rules", as: "admin", json: [
            "name": "noisy", "kind": "worker_dead", "repeat_interval": "PT0.000001S",
        ])
        #expect(reply.status == 422, "\(reply.text)")
        #expect((reply.json?["errors"] as? [String: [String]])?["repeat_interval"] == ["Must be from PT1M to P30D."], "\(reply.text)")
    }
}
