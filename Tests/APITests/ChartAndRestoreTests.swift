import Foundation
import Testing
import TestSupport

@Suite(.serialized) struct ChartAndRestoreTests {
    func postMeasurementsAndPrognosis(_ site: InProcessSite) async throws {
        #expect(try await site.send("POST", "/api/v2_0/postMeterData", as: "prosumer", json: [
            "type": "PostMeterDataRequest", "connection": InProcessSite.battery, "values": [1, 2, 3, 4], "start": "2015-01-01T00:00:00Z",
            "duration": "PT1H", "unit": "MW",
        ]).status == 200)
        #expect(try await site.send("POST", "/api/v2_0/postPrognosis", as: "prosumer", json: [
            "type": "PostPrognosisRequest", "connection": InProcessSite.battery, "values": [5, 5, 5, 5], "start": "2015-01-01T00:00:00Z",
            "duration": "PT1H", "prior": "2014-12-31T12:00:00Z", "unit": "MW",
        ]).status == 200)
    }

    @Test func thePowerChartIsVegaLiteWithItsData() async throws {
        let site = try InProcessSite()
        try await postMeasurementsAndPrognosis(site)
        let reply = try await site.get("/api/v2_0/charts/power", as: "prosumer", query: [
            "resource": "battery", "start_time": "2015-01-01T00:00:00Z", "end_time": "2015-01-01T01:00:00Z",
        ])
        #expect(reply.status == 200, "\(reply.text)")
        let chart = try #require(reply.json)
        #expect((chart["$schema"] as? String)?.contains("vega-lite") == true)
        let rows = try #require((chart["data"] as? [String: Any])?["values"] as? [[String: Any]])
        #expect(rows.filter { $0["kind"] as? String == "measurements" }.compactMap { $0["power"] as? Double } == [1, 2, 3, 4])
        #expect(rows.filter { $0["kind"] as? String == "forecasts" }.count == 4)
        let hourly = try await site.get("/api/v2_0/charts/power", as: "prosumer", query: [
            "resource": "4", "start_time": "2015-01-01T00:00:00Z", "end_time": "2015-01-01T01:00:00Z", "resolution": "PT1H",
        ])
        let hourlyRows = (hourly.json?["data"] as? [String: Any])?["values"] as? [[String: Any]] ?? []
        #expect(hourlyRows.first { $0["kind"] as? String == "measurements" }?["power"] as? Double == 2.5)
        #expect(try await site.get("/api/v2_0/charts/power", as: "prosumer", query: ["resource": "theirs", "start_time": "2015-01-01T00:00:00Z", "end_time": "2015-01-02T00:00:00Z"]).status == 403)
        #expect(try await site.get("/api/v2_0/charts/power", as: "prosumer", query: ["resource": "battery"]).status == 422)
        #expect(try await site.get("/api/v2_0/charts/power", as: nil, query: ["resource": "battery"]).status == 401)
    }

    @Test func restoreDataResetsTheDataToANamedBackup() async throws {
        let backups = try TemporaryDatabase()
        let demo = backups.directory.appendingPathComponent("demo_v1")
        try FileManager.default.createDirectory(at: backups.directory.appendingPathComponent("demo_v0"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: demo, withIntermediateDirectories: true)
        try "sensor_id,event_start,belief_time,source_id,cumulative_probability,value\n4,2015-01-01T00:00:00Z,2015-01-01T00:20:00Z,2,0.5,9\n"
            .write(to: demo.appendingPathComponent("beliefs.csv"), atomically: true, encoding: .utf8)
        let site = try InProcessSite.withBackups(at: backups.directory.path)
        try await postMeasurementsAndPrognosis(site)
        #expect(try await site.send("PUT", "/api/v1_3/restoreData", as: "prosumer", json: ["backup": "demo_v0"]).status == 403)
        #expect(try await site.send("PUT", "/api/restoreData", as: "admin", json: [:] as [String: String]).statusString == "NO_BACKUP")
        #expect(try await site.send("PUT", "/api/restoreData", as: "admin", json: ["backup": "nope"]).statusString == "UNRECOGNIZED_BACKUP")
        let cleared = try await site.send("PUT", "/api/v1_3/restoreData", as: "admin", json: ["backup": "demo_v0"])
        #expect(cleared.status == 200, "\(cleared.text)")
        let read = { () async throws -> [Any] in
            try await site.get("/api/v2_0/getMeterData", as: "prosumer", query: [
                "type": "GetMeterDataRequest", "connection": InProcessSite.battery, "start": "2015-01-01T00:00:00Z", "duration": "PT15M",
            ]).json?["values"] as? [Any] ?? []
        }
        #expect(try await read().isEmpty)
        #expect(try await site.send("PUT", "/api/restoreData", as: "admin", json: ["backup": "demo_v1"]).status == 200)
        #expect(try await read() as? [Double] == [9])
    }

    /// A backup naming a sensor or source the site lacks, or holding a row twice, is refused with what is
    /// wrong with it, and the site keeps its beliefs.
    @Test(arguments: [
        ("unknown sensor", "999,2015-01-01T00:00:00Z,2015-01-01T00:20:00Z,2,0.5,1\n"),
        ("unknown source", "4,2015-01-01T00:00:00Z,2015-01-01T00:20:00Z,999,0.5,1\n"),
        ("one row twice", "4,2015-01-01T00:15:00Z,2015-01-01T00:20:00Z,2,0.5,1\n4,2015-01-01T00:15:00Z,2015-01-01T00:20:00Z,2,0.5,1\n"),
        ("off the grid", "4,2015-01-01T00:07:00Z,2015-01-01T00:20:00Z,2,0.5,1\n"),
    ])
    func aBackupTheSiteCannotHoldIsRefusedAndChangesNothing(problem: String, rows: String) async throws {
        let backups = try TemporaryDatabase()
        let bad = backups.directory.appendingPathComponent("bad")
        try FileManager.default.createDirectory(at: bad, withIntermediateDirectories: true)
        try ("sensor_id,event_start,belief_time,source_id,cumulative_probability,value\n" + rows)
            .write(to: bad.appendingPathComponent("beliefs.csv"), atomically: true, encoding: .utf8)
        let site = try InProcessSite.withBackups(at: backups.directory.path)
        try await postMeasurementsAndPrognosis(site)
        let query = ["type": "GetMeterDataRequest", "connection": InProcessSite.battery, "start": "2015-01-01T00:00:00Z", "duration": "PT1H"]
        let before = try await site.get("/api/v2_0/getMeterData", as: "prosumer", query: query).text
        let reply = try await site.send("PUT", "/api/restoreData", as: "admin", json: ["backup": "bad"])
        #expect(reply.status == 400 && reply.statusString == "UNRECOGNIZED_BACKUP", "\(problem): \(reply.text)")
        #expect(try await site.get("/api/v2_0/getMeterData", as: "prosumer", query: query).text == before, "\(problem)")
    }
}

