import Foundation
import Testing
import TestSupport

@Suite(.serialized) struct APIChartAndRestoreTests {
    func postMeasurementsAndPrognosis(_ site: APISite) throws {
        #expect(try site.send("POST", "/api/v2_0/postMeterData", as: "prosumer", json: [
            "type": "PostMeterDataRequest", "connection": APISite.battery, "values": [1, 2, 3, 4], "start": "2015-01-01T00:00:00Z",
            "duration": "PT1H", "unit": "MW",
        ]).status == 200)
        #expect(try site.send("POST", "/api/v2_0/postPrognosis", as: "prosumer", json: [
            "type": "PostPrognosisRequest", "connection": APISite.battery, "values": [5, 5, 5, 5], "start": "2015-01-01T00:00:00Z",
            "duration": "PT1H", "prior": "2014-12-31T12:00:00Z", "unit": "MW",
        ]).status == 200)
    }

    @Test func thePowerChartIsVegaLiteWithItsData() throws {
        let site = try APISite()
        try postMeasurementsAndPrognosis(site)
        let reply = try site.get("/api/v2_0/charts/power", as: "prosumer", query: [
            "resource": "battery", "start_time": "2015-01-01T00:00:00Z", "end_time": "2015-01-01T01:00:00Z",
        ])
        #expect(reply.status == 200, "\(reply.text)")
        let chart = try #require(reply.json)
        #expect((chart["$schema"] as? String)?.contains("vega-lite") == true)
        let rows = try #require((chart["data"] as? [String: Any])?["values"] as? [[String: Any]])
        #expect(rows.filter { $0["kind"] as? String == "measurements" }.compactMap { $0["power"] as? Double } == [1, 2, 3, 4])
        #expect(rows.filter { $0["kind"] as? String == "forecasts" }.count == 4)
        let hourly = try site.get("/api/v2_0/charts/power", as: "prosumer", query: [
            "resource": "4", "start_time": "2015-01-01T00:00:00Z", "end_time": "2015-01-01T01:00:00Z", "resolution": "PT1H",
        ])
        let hourlyRows = (hourly.json?["data"] as? [String: Any])?["values"] as? [[String: Any]] ?? []
        #expect(hourlyRows.first { $0["kind"] as? String == "measurements" }?["power"] as? Double == 2.5)
        #expect(try site.get("/api/v2_0/charts/power", as: "prosumer", query: ["resource": "theirs", "start_time": "2015-01-01T00:00:00Z", "end_time": "2015-01-02T00:00:00Z"]).status == 403)
        #expect(try site.get("/api/v2_0/charts/power", as: "prosumer", query: ["resource": "battery"]).status == 422)
        #expect(try site.get("/api/v2_0/charts/power", as: nil, query: ["resource": "battery"]).status == 401)
    }

    @Test func restoreDataResetsTheDataToANamedBackup() throws {
        let backups = try TemporaryDatabase()
        let demo = backups.directory.appendingPathComponent("demo_v1")
        try FileManager.default.createDirectory(at: backups.directory.appendingPathComponent("demo_v0"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: demo, withIntermediateDirectories: true)
        try "sensor_id,event_start,belief_time,source_id,cumulative_probability,value\n4,2015-01-01T00:00:00Z,2015-01-01T00:20:00Z,2,0.5,9\n"
            .write(to: demo.appendingPathComponent("beliefs.csv"), atomically: true, encoding: .utf8)
        let site = try APISite(environment: ["FLEXMEASURES_DB_BACKUP_PATH": backups.directory.path])
        try postMeasurementsAndPrognosis(site)
        #expect(try site.send("PUT", "/api/v1_3/restoreData", as: "prosumer", json: ["backup": "demo_v0"]).status == 403)
        #expect(try site.send("PUT", "/api/restoreData", as: "admin", json: [:] as [String: String]).statusString == "NO_BACKUP")
        #expect(try site.send("PUT", "/api/restoreData", as: "admin", json: ["backup": "nope"]).statusString == "UNRECOGNIZED_BACKUP")
        let cleared = try site.send("PUT", "/api/v1_3/restoreData", as: "admin", json: ["backup": "demo_v0"])
        #expect(cleared.status == 200, "\(cleared.text)")
        let read = { () throws -> [Any] in
            try site.get("/api/v2_0/getMeterData", as: "prosumer", query: [
                "type": "GetMeterDataRequest", "connection": APISite.battery, "start": "2015-01-01T00:00:00Z", "duration": "PT15M",
            ]).json?["values"] as? [Any] ?? []
        }
        #expect(try read().isEmpty)
        #expect(try site.send("PUT", "/api/restoreData", as: "admin", json: ["backup": "demo_v1"]).status == 200)
        #expect(try read() as? [Double] == [9])
    }

    /// A backup naming a sensor or source the site lacks, or holding a row twice, is refused with what is
    /// wrong with it, and the site keeps its beliefs.
    @Test(arguments: [
        ("unknown sensor", "999,2015-01-01T00:00:00Z,2015-01-01T00:20:00Z,2,0.5,1\n"),
        ("unknown source", "4,2015-01-01T00:00:00Z,2015-01-01T00:20:00Z,999,0.5,1\n"),
        ("one row twice", "4,2015-01-01T00:15:00Z,2015-01-01T00:20:00Z,2,0.5,1\n4,2015-01-01T00:15:00Z,2015-01-01T00:20:00Z,2,0.5,1\n"),
        ("off the grid", "4,2015-01-01T00:07:00Z,2015-01-01T00:20:00Z,2,0.5,1\n"),
    ])
    func aBackupTheSiteCannotHoldIsRefusedAndChangesNothing(problem: String, rows: String) throws {
        let backups = try TemporaryDatabase()
        let bad = backups.directory.appendingPathComponent("bad")
        try FileManager.default.createDirectory(at: bad, withIntermediateDirectories: true)
        try ("sensor_id,event_start,belief_time,source_id,cumulative_probability,value\n" + rows)
            .write(to: bad.appendingPathComponent("beliefs.csv"), atomically: true, encoding: .utf8)
        let site = try APISite(environment: ["FLEXMEASURES_DB_BACKUP_PATH": backups.directory.path])
        try postMeasurementsAndPrognosis(site)
        let query = ["type": "GetMeterDataRequest", "connection": APISite.battery, "start": "2015-01-01T00:00:00Z", "duration": "PT1H"]
        let before = try site.get("/api/v2_0/getMeterData", as: "prosumer", query: query).text
        let reply = try site.send("PUT", "/api/restoreData", as: "admin", json: ["backup": "bad"])
        #expect(reply.status == 400 && reply.statusString == "UNRECOGNIZED_BACKUP", "\(problem): \(reply.text)")
        #expect(try site.get("/api/v2_0/getMeterData", as: "prosumer", query: query).text == before, "\(problem)")
    }
}

@Suite(.serialized) struct HealthTests {
    @Test func healthSaysTheDatabaseTakesWritesAndCountsJobs() throws {
        let site = try APISite()
        let reply = try site.http.send("GET", "/api/health")
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.json?["status"] as? String == "ok")
        #expect(reply.json?["database_writable"] as? Bool == true)
        let queues = reply.json?["queues"] as? [String: [String: Any]]
        #expect(queues?["scheduling"]?["queued"] as? Int == 0)
        // The daemon's two workers have been heard from within the last lease.
        let workers = try #require(reply.json?["workers"] as? [String: [String: Any]], "\(reply.text)")
        #expect(Set(workers.keys) == ["scheduling", "forecasting"])
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
