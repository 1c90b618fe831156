import Foundation
import Jobs
import Site
import Testing
import TestSupport

/// The API refuses what would make it trap or work without limit, names the field, stores nothing, and
/// keeps serving (issue 12's reproducers and their relatives), answered by the router in process.
@Suite(.serialized) struct RequestBoundsTests {
    static let huge = ["P106751991D", "PT9223372036854S", "P100000000D", "-P106751991D", "P999999999999W"]

    @Test func hugeAndOutOfRangeTimesAreRefusedNamingTheField() async throws {
        let site = try InProcessSite()
        var refusals: [String] = []
        for version in ["v1", "v1_1", "v1_2", "v1_3", "v2_0"] {
            for duration in Self.huge {
                let get = try await site.get("/api/\(version)/getMeterData", as: "prosumer", query: [
                    "type": "GetMeterDataRequest", "connection": InProcessSite.cs1, "start": "9999-12-31T00:00:00Z",
                    "duration": duration, "unit": "MW",
                ])
                #expect(get.status == 400, "\(version) \(duration): \(get.text)")
                #expect(get.text.contains("duration"), "\(get.text)")
                refusals.append(get.text)
            }
            let horizon = version == "v2_0" ? "-P106751991D" : "R/-P106751991D"
            let post = try await site.send("POST", "/api/\(version)/postMeterData", as: "prosumer", json: [
                "type": "PostMeterDataRequest", "connection": InProcessSite.cs1, "values": [0.5], "start": "2020-01-01T00:00:00Z",
                "duration": "PT15M", "horizon": horizon, "unit": "MW",
            ])
            #expect(post.status == 400 && post.statusString == "INVALID_HORIZON", "\(version): \(post.text)")
        }
        for start in ["1899-12-31T23:59:59Z", "0001-01-01T00:00:00Z"] {
            let get = try await site.get("/api/v2_0/getMeterData", as: "prosumer", query: [
                "type": "GetMeterDataRequest", "connection": InProcessSite.cs1, "start": start, "duration": "PT1H",
            ])
            #expect(get.status == 400 && get.text.contains("\\\"start\\\""), "\(start): \(get.text)")
        }
        let timeseries = try await site.send("POST", "/api/v2_0/postMeterData", as: "prosumer", json: [
            "type": "PostMeterDataRequest", "connection": InProcessSite.cs1, "horizon": "-PT5M", "unit": "MW",
            "timeseries": [["value": 0.5, "start": "9999-12-31T00:00:00Z", "duration": "P106751991D"]],
        ])
        #expect(timeseries.status == 400, "\(timeseries.text)")
        #expect(try await site.send("GET", "/api/").status == 200, "still serving")
    }

    @Test func windowsLongerThanTheSlotLimitAreRefusedBeforeAnyWork() async throws {
        var settings = Site.Settings()
        settings.maximumSlotsPerRequest = 960
        let site = try InProcessSite(siteSettings: settings)
        let tooLong = try await site.get("/api/v2_0/getMeterData", as: "prosumer", query: [
            "type": "GetMeterDataRequest", "connection": InProcessSite.cs1, "start": "2020-01-01T00:00:00Z", "duration": "P10DT15M",
        ])
        #expect(tooLong.status == 400 && tooLong.statusString == "INVALID_PERIOD", "\(tooLong.text)")
        #expect(tooLong.text.contains("FLEXMEASURES_MAX_SLOTS_PER_REQUEST"))
        let atTheLimit = try await site.get("/api/v2_0/getPrognosis", as: "prosumer", query: [
            "type": "GetPrognosisRequest", "connection": InProcessSite.cs1, "start": "2020-01-01T00:00:00Z", "duration": "P10D",
        ])
        #expect(atTheLimit.status == 200, "\(atTheLimit.text)")
        // Two connections share one budget.
        let twice = try await site.send(
            "GET", "/api/v2_0/getMeterData?type=GetMeterDataRequest&connection=\(InProcessSite.cs1)&connection=\(InProcessSite.solar)"
                + "&start=2020-01-01T00:00:00Z&duration=P6D",
            token: try site.token("prosumer")
        )
        #expect(twice.status == 400 && twice.statusString == "INVALID_PERIOD", "\(twice.text)")
        let chart = try await site.get("/api/v2_0/charts/power", as: "prosumer", query: [
            "resource": "cs1", "start_time": "1900-01-01T00:00:00Z", "end_time": "9999-12-31T00:00:00Z",
        ])
        #expect(chart.status == 422 && chart.text.contains("end_time"), "\(chart.text)")
        // A post stores no more beliefs than a GET may read back.
        for (count, status) in [(961, 400), (960, 200)] {
            let post = try await site.send("POST", "/api/v2_0/postMeterData", as: "prosumer", json: [
                "type": "PostMeterDataRequest", "connection": InProcessSite.cs1, "values": Array(repeating: 0.5, count: count),
                "start": "2021-01-01T00:00:00Z", "duration": "PT\(count * 15)M", "horizon": "-PT5M", "unit": "MW",
            ])
            #expect(post.status == status, "\(count) values: \(post.text)")
        }
    }

    @Test func amplifyingPostsAreRefusedAndStoreNothing() async throws {
        let site = try InProcessSite()
        for (path, type, key, name, unit) in [
            ("postMeterData", "PostMeterDataRequest", "connection", InProcessSite.cs1, "MW"),
            ("postPrognosis", "PostPrognosisRequest", "connection", InProcessSite.cs1, "MW"),
            ("postPriceData", "PostPriceDataRequest", "market", "ea1.2018-06.localhost:epex_da", "EUR/MWh"),
            ("postWeatherData", "PostWeatherDataRequest", "sensor", "ea1.2018-06.localhost:temperature:33.4843866:126.477859", "°C"),
        ] {
            for duration in ["P100000000D", "P3650D", "P1DT15M"] {
                let reply = try await site.send("POST", "/api/v2_0/\(path)", as: "prosumer", json: [
                    "type": type, key: name, "values": [0.5], "start": "2020-01-01T00:00:00Z", "duration": duration,
                    "horizon": path == "postMeterData" ? "-PT5M" : "PT1H", "unit": unit,
                ])
                #expect(reply.status == 400, "\(path) \(duration): \(reply.text)")
            }
        }
        // A day of one value on quarter hours is the most one value may become (96 by default).
        let day = try await site.send("POST", "/api/v2_0/postMeterData", as: "prosumer", json: [
            "type": "PostMeterDataRequest", "connection": InProcessSite.cs1, "values": [0.25], "start": "2020-01-01T00:00:00Z",
            "duration": "P1D", "horizon": "-PT5M", "unit": "MW",
        ])
        #expect(day.status == 200, "\(day.text)")
        let read = try await site.get("/api/v2_0/getMeterData", as: "prosumer", query: [
            "type": "GetMeterDataRequest", "connection": InProcessSite.cs1, "start": "2020-01-01T00:00:00Z", "duration": "P3D",
        ])
        let values = try #require(read.json?["values"] as? [Any], "\(read.text)")
        #expect(values.count == 288)
        #expect(values.filter { ($0 as? Double) == 0.25 }.count == 96, "only the accepted post was stored")
        #expect(values.filter { ($0 as? Double) == 0.5 }.isEmpty, "a refused post stored nothing")
    }

    @Test func aScheduleForTheLargestEventIDNeitherTrapsNorLoops() async throws {
        let site = try InProcessSite()
        let event = "\(InProcessSite.battery):9223372036854775807:soc"
        let post = try await site.send("POST", "/api/v1_3/postUdiEvent", as: "prosumer", json: [
            "type": "PostUdiEventRequest", "event": event, "value": 2, "unit": "MWh", "datetime": "2020-01-01T00:00:00Z",
        ])
        #expect(post.status == 200, "\(post.text)")
        await site.runQueuedJobs()
        let reply = try await site.get("/api/v1_3/getDeviceMessage", as: "prosumer", query: ["type": "GetDeviceMessageRequest", "event": event])
        // No prices were posted: the job ran once and failed with its reason.
        #expect(reply.text.contains("Scheduling job failed: prices unknown"), "\(reply.text)")
        let jobs = try await site.services.jobs.counts(queue: .scheduling).byStatus
        #expect(jobs == [.failed: 1], "\(jobs)")
    }

    @Test func smallerHolesAreClosed() async throws {
        let site = try InProcessSite()
        // A NUL in a password ends bcrypt's reading: such a password never matches.
        let nul = try await site.send("POST", "/api/requestAuthToken", body: Data(#"{"email": "prosumer@example.com", "password": "password-prosumer\u0000junk"}"#.utf8))
        #expect(nul.status == 401, "\(nul.text)")
        // One token, one spelling.
        let token = try site.token("prosumer")
        for variant in ["+" + token, "0" + token] {
            let reply = try await site.send("GET", "/api/v2_0/getConnection?type=GetConnectionRequest", token: variant)
            #expect(reply.status == 401, "\(variant): \(reply.text)")
        }
        // An owner may not give their asset away.
        let patch = try await site.send("PATCH", "/api/v2_0/asset/4", as: "prosumer", json: ["owner": 3])
        #expect(patch.status == 403 && patch.statusString == "INVALID_SENDER", "\(patch.text)")
        #expect(try await site.send("GET", "/api/v2_0/asset/4", as: "prosumer").json?["owner"] as? Int == 2)
        // A 400 quotes a long value shortened, not whole.
        let long = String(repeating: "x", count: 400_000)
        let echoed = try await site.send("POST", "/api/v2_0/postMeterData", as: "prosumer", json: ["type": long])
        #expect(echoed.status == 400 && echoed.body.count < 2_000, "\(echoed.body.count) bytes")
        // `+` in a query string is a space, as forms and curl write it.
        let plus = try await site.send("GET", "/api/v2_0/charts/power?resource=cs1&start_time=2020-01-01T00:00:00Z&end_time=2020-01-02T00:00:00Z&consumption_as_positive=false", token: token)
        #expect(plus.status == 200, "\(plus.text)")
        let spaced = try await site.send("GET", "/api/v2_0/getService?access=Prosumer+Nobody", token: token)
        #expect(spaced.text.contains("'Prosumer Nobody'"), "\(spaced.text)")
        // getService with an unknown role answers like getService.
        #expect(spaced.status == 400 && spaced.statusString == "INVALID_ROLE" && spaced.json?["type"] as? String == "GetServiceResponse")
        // Before v2.0 a GET states its unit, as the reference requires.
        let noUnit = try await site.get("/api/v1_3/getMeterData", as: "prosumer", query: [
            "type": "GetMeterDataRequest", "connection": InProcessSite.cs1, "start": "2020-01-01T00:00:00Z", "duration": "PT1H",
        ])
        #expect(noUnit.status == 400 && noUnit.statusString == "INVALID_UNIT", "\(noUnit.text)")
        // The anonymous role has no data services, charts included.
        let chart = try await site.get("/api/v2_0/charts/power", as: "anonymous", query: ["resource": "cs1"])
        #expect(chart.status == 403 && chart.statusString == "INVALID_SENDER", "\(chart.text)")
    }
}
