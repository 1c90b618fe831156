import Foundation
import Testing
import TestSupport

@Suite(.serialized) struct HealthTests {
    @Test func healthSaysTheDatabaseTakesWritesAndCountsJobs() throws {
        let site = try APISite()
        let reply = try site.http.send("GET", "/api/health")
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.json?["status"] as? String == "ok")
        #expect(reply.json?["database_writable"] as? Bool == true)
        let queues = reply.json?["queues"] as? [String: [String: Any]]
        #expect(queues?["scheduling"]?["queued"] as? Int == 0)
        // The daemon's workers, one per queue, have been heard from within the last lease.
        let workers = try #require(reply.json?["workers"] as? [String: [String: Any]], "\(reply.text)")
        #expect(Set(workers.keys) == ["scheduling", "forecasting", "delivery"])
        for (queue, state) in workers {
            #expect(state["alive"] as? Bool == true, "\(queue): \(state)")
            #expect((state["silent_seconds"] as? Double ?? 99) < 30, "\(queue): \(state)")
        }
    }
}

@Suite(.serialized) struct MetricsTests {
    @Test func metricsAreInThePrometheusTextFormat() throws {
        let site = try APISite()
        #expect(try site.send("POST", "/api/v2_0/postMeterData", as: "prosumer", json: [
            "type": "PostMeterDataRequest", "connection": APISite.battery, "values": [1, 2], "start": "2015-01-01T00:00:00Z",
            "duration": "PT30M", "unit": "MW",
        ]).status == 200)
        _ = try site.send("GET", "/api/v2_0/asset/4", as: "prosumer")
        let reply = try site.http.send("GET", "/metrics")
        #expect(reply.status == 200)
        #expect(reply.headers["content-type"]?.hasPrefix("text/plain") == true)
        let text = reply.text
        #expect(text.contains("# TYPE flexmeasures_http_requests_total counter"))
        #expect(text.contains(#"flexmeasures_http_requests_total{method="POST",route="/api/v2_0/postMeterData",status="200"} 1"#), "\(text)")
        #expect(text.contains(#"route="/api/v2_0/asset/{id}""#), "routes by pattern, not by id")
        #expect(text.contains("flexmeasures_http_request_duration_seconds_bucket"))
        // At least the two posted (forecasts they trigger may already be there too).
        let stored = text.split(separator: "\n").first { $0.hasPrefix("flexmeasures_beliefs_stored ") }
        #expect((stored?.split(separator: " ").last.flatMap { Double($0) } ?? 0) >= 2, "\(stored ?? "")")
        #expect(text.contains("flexmeasures_database_bytes"))
        #expect(text.contains(#"flexmeasures_jobs{queue="scheduling",status="queued"} 0"#))
    }
}
