import Foundation
import Testing
import TestSupport

/// The data endpoints of every version, with the reference's own example messages (sections 14-20)
/// made to name this site's assets.
@Suite(.serialized) struct DataEndpointTests {
    static let start = "2015-01-01T00:00:00+00:00"

    func meterData(_ site: InProcessSite, version: String = "v1_3", connection: String = InProcessSite.cs1, values: [Double],
                   horizon: String? = "-PT5M", extra: [String: Any] = [:]) async throws -> InProcessSite.Reply {
        var message: [String: Any] = [
            "type": "PostMeterDataRequest", "connection": connection, "values": values, "start": Self.start,
            "duration": "PT\(values.count * 15)M", "unit": "MW",
        ]
        if let horizon { message["horizon"] = horizon }
        for (key, value) in extra { message[key] = value }
        return try await site.send("POST", "/api/\(version)/postMeterData", as: "prosumer", json: message)
    }

    func readMeterData(_ site: InProcessSite, version: String = "v1_3", connection: String = InProcessSite.cs1,
                       duration: String = "PT1H30M", extra: [String: String] = [:], as user: String = "prosumer") async throws -> InProcessSite.Reply {
        var query = ["type": "GetMeterDataRequest", "connection": connection, "start": Self.start, "duration": duration, "unit": "MW"]
        for (key, value) in extra { query[key] = value }
        return try await site.get("/api/\(version)/getMeterData", as: user, query: query)
    }

    func values(_ reply: InProcessSite.Reply) -> [Double?] {
        (reply.json?["values"] as? [Any])?.map { $0 as? Double } ?? []
    }

    @Test(arguments: ["v1", "v1_1", "v1_2", "v1_3", "v2_0"])
    func postedMeterDataIsReadBackInEveryVersion(version: String) async throws {
        let site = try InProcessSite()
        let posted = try await meterData(site, version: version, values: [220, 210, 200, 190, 180, 170],
                                   horizon: version == "v2_0" ? nil : "-PT5M")
        #expect(posted.status == 200, "\(posted.text)")
        #expect(posted.json?["type"] as? String == "PostMeterDataResponse")
        #expect(posted.statusString == "PROCESSED")
        let read = try await readMeterData(site, version: version)
        #expect(read.status == 200, "\(read.text)")
        #expect(read.json?["type"] as? String == "GetMeterDataResponse")
        #expect(values(read) == [220, 210, 200, 190, 180, 170])
        #expect(read.json?["connection"] as? String == InProcessSite.cs1)
    }

    @Test func version1AlsoTakesGetMeterDataAsAPost() async throws {
        let site = try InProcessSite()
        _ = try await meterData(site, version: "v1", values: [1, 2])
        let reply = try await site.send("POST", "/api/v1/getMeterData", as: "prosumer", json: [
            "type": "GetMeterDataRequest", "connection": InProcessSite.cs1, "start": Self.start, "duration": "PT30M", "unit": "MW",
        ])
        #expect(values(reply) == [1, 2])
    }

    @Test func simulationExamplesOfSection15() async throws {
        let site = try InProcessSite()
        let single = try await site.send("POST", "/api/v1_3/postMeterData", as: "prosumer", json: [
            "type": "PostMeterDataRequest", "connection": InProcessSite.cs1, "value": 220, "start": Self.start,
            "duration": "PT0H15M", "horizon": "-PT5M", "unit": "MW",
        ])
        #expect(single.status == 200, "\(single.text)")
        let shared = try await site.send("POST", "/api/v1_3/postMeterData", as: "prosumer", json: [
            "type": "PostMeterDataRequest", "connections": [InProcessSite.battery, InProcessSite.cs1], "value": 10,
            "start": "2015-01-01T00:15:00+00:00", "duration": "PT0H15M", "horizon": "-PT5M", "unit": "MW",
        ])
        #expect(shared.status == 200, "\(shared.text)")
        let groups = try await site.send("POST", "/api/v1_3/postMeterData", as: "prosumer", json: [
            "type": "PostMeterDataRequest",
            "groups": [
                ["connection": InProcessSite.cs1, "values": [220, 210, 200]],
                ["connection": InProcessSite.battery, "values": [300, 303, 306]],
            ],
            "start": "2015-01-01T00:30:00+00:00", "duration": "PT0H45M", "horizon": "-PT5M", "unit": "MW",
        ])
        #expect(groups.status == 200, "\(groups.text)")
        let read = try await site.get("/api/v1_3/getMeterData", as: "prosumer", query: [
            "type": "GetMeterDataRequest", "connections": "[\"\(InProcessSite.cs1)\", \"\(InProcessSite.battery)\"]",
            "start": Self.start, "duration": "PT1H15M", "unit": "MW",
        ])
        let answer = try #require(read.json?["groups"] as? [[String: Any]], "\(read.text)")
        #expect(answer.count == 2)
        #expect(answer.first { $0["connection"] as? String == InProcessSite.cs1 }?["values"] as? [Double] == [220, 10, 220, 210, 200])
    }

    @Test func windowsWithoutDataGiveAnEmptyList() async throws {
        let site = try InProcessSite()
        let read = try await readMeterData(site)
        #expect(read.status == 200)
        #expect(read.json?["values"] as? [Any] != nil)
        #expect(values(read).isEmpty)
    }

    @Test func coarserDataIsUpsampledAndReadsCanBeDownsampled() async throws {
        let site = try InProcessSite()
        let posted = try await site.send("POST", "/api/v1_3/postMeterData", as: "prosumer", json: [
            "type": "PostMeterDataRequest", "connection": InProcessSite.cs1, "values": [2, 4, 6], "start": Self.start,
            "duration": "PT1H30M", "horizon": "-PT5M", "unit": "MW",
        ])
        #expect(posted.status == 200, "\(posted.text)")
        #expect(values(try await readMeterData(site)) == [2, 2, 4, 4, 6, 6])
        #expect(values(try await readMeterData(site, extra: ["resolution": "PT45M"])) == [8.0 / 3, 16.0 / 3])
        let bad = try await readMeterData(site, extra: ["resolution": "PT20M"])
        #expect(bad.status == 400)
        #expect(bad.statusString == "INVALID_RESOLUTION")
    }

    @Test func finerDataThanTheAssetIsRefused() async throws {
        let site = try InProcessSite()
        let reply = try await meterData(site, connection: InProcessSite.hourly, values: [1, 2, 3, 4])
        #expect(reply.status == 400)
        #expect(reply.statusString == "INVALID_RESOLUTION")
    }

    @Test func oneMessageForAssetsOfDifferentResolutionsIsRefused() async throws {
        let site = try InProcessSite()
        let reply = try await site.send("POST", "/api/v1_3/postMeterData", as: "prosumer", json: [
            "type": "PostMeterDataRequest", "connections": [InProcessSite.cs1, InProcessSite.hourly], "values": [1], "start": Self.start,
            "duration": "PT1H", "horizon": "-PT5M", "unit": "MW",
        ])
        #expect(reply.statusString == "INVALID_RESOLUTION")
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let label: String
        let version: String
        let connection: String
        let values: [Double]
        let horizon: String?
        let extra: [String: String]
        let status: String
        var testDescription: String { label }
    }

    static let refusals: [Refusal] = [
        Refusal(label: "plain name", version: "v1_3", connection: "CS 1", values: [1], horizon: "-PT5M", extra: [:], status: "INVALID_DOMAIN"),
        Refusal(label: "unknown asset", version: "v1_3", connection: "\(InProcessSite.authority):2:99", values: [1], horizon: "-PT5M", extra: [:], status: "UNRECOGNIZED_ASSET"),
        Refusal(label: "someone else's asset", version: "v1_3", connection: InProcessSite.theirs, values: [1], horizon: "-PT5M", extra: [:], status: "UNRECOGNIZED_CONNECTION_GROUP"),
        Refusal(label: "no horizon before v2.0", version: "v1_3", connection: InProcessSite.cs1, values: [1], horizon: nil, extra: [:], status: "INVALID_HORIZON"),
        Refusal(label: "unparseable horizon", version: "v1_3", connection: InProcessSite.cs1, values: [1], horizon: "soon", extra: [:], status: "INVALID_HORIZON"),
        Refusal(label: "repeating interval in v2.0", version: "v2_0", connection: InProcessSite.cs1, values: [1], horizon: "R/PT6H", extra: [:], status: "INVALID_HORIZON"),
        Refusal(label: "meter data from the future", version: "v1_3", connection: InProcessSite.cs1, values: [1], horizon: "PT1H", extra: [:], status: "INVALID_HORIZON"),
        Refusal(label: "meter data with an early prior", version: "v2_0", connection: InProcessSite.cs1, values: [1], horizon: nil, extra: ["prior": "2014-12-31T00:00:00+00:00"], status: "INVALID_HORIZON"),
        Refusal(label: "wrong unit", version: "v1_3", connection: InProcessSite.cs1, values: [1], horizon: "-PT5M", extra: ["unit": "kW"], status: "INVALID_UNIT"),
        Refusal(label: "naive start", version: "v1_3", connection: InProcessSite.cs1, values: [1], horizon: "-PT5M", extra: ["start": "2015-01-01T00:00:00"], status: "INVALID_TIMEZONE"),
        Refusal(label: "production on a pure consumer", version: "v1_3", connection: InProcessSite.cs1, values: [-1], horizon: "-PT5M", extra: [:], status: "POWER_VALUE_TOO_SMALL"),
        Refusal(label: "consumption on a pure producer", version: "v1_3", connection: InProcessSite.solar, values: [1], horizon: "-PT5M", extra: [:], status: "POWER_VALUE_TOO_BIG"),
        Refusal(label: "no message type", version: "v1_3", connection: InProcessSite.cs1, values: [1], horizon: "-PT5M", extra: ["type": ""], status: "NO_MESSAGE_TYPE"),
        Refusal(label: "wrong message type", version: "v1_3", connection: InProcessSite.cs1, values: [1], horizon: "-PT5M", extra: ["type": "GetMeterDataRequest"], status: "INVALID_MESSAGE_TYPE"),
    ]

    @Test(arguments: refusals)
    func invalidPostsAreRefusedWithTheirStatusAndStoreNothing(_ refusal: Refusal) async throws {
        let site = try InProcessSite()
        var extra: [String: Any] = refusal.extra
        if refusal.extra["type"] == "" { extra["type"] = NSNull() }
        var message: [String: Any] = [
            "type": "PostMeterDataRequest", "connection": refusal.connection, "values": refusal.values, "start": Self.start,
            "duration": "PT\(refusal.values.count * 15)M", "unit": "MW",
        ]
        if let horizon = refusal.horizon { message["horizon"] = horizon }
        for (key, value) in extra { message[key] = value is NSNull ? nil : value }
        // A valid second group shows that nothing of a refused message is stored.
        message["groups"] = [["connection": InProcessSite.battery, "values": [5]], message.filter { ["connection", "values"].contains($0.key) }]
        message["connection"] = nil
        message["values"] = nil
        let reply = try await site.send("POST", "/api/\(refusal.version)/postMeterData", as: "prosumer", json: message)
        #expect(reply.status == 400, "\(reply.text)")
        #expect(reply.statusString == refusal.status, "\(reply.text)")
        #expect(reply.json?["message"] as? String != nil)
        #expect(values(try await readMeterData(site, connection: InProcessSite.battery)).isEmpty, "nothing stored")
    }

    @Test func repostingIsAlreadyReceivedAndStoresNothingNew() async throws {
        let site = try InProcessSite()
        // Rolling horizons (v2.0), so that the overlapping beliefs get the same belief times.
        #expect(try await meterData(site, version: "v2_0", values: [1, 2]).status == 200)
        let again = try await meterData(site, version: "v2_0", values: [1, 2, 3])
        #expect(again.status == 400)
        #expect(again.statusString == "ALREADY_RECEIVED_AND_SUCCESSFULLY_PROCESSED")
        #expect(values(try await readMeterData(site, duration: "PT45M")) == [1, 2, nil])
    }

    @Test func prognosesFollowTheHorizonAndPriorOfTheReference() async throws {
        let site = try InProcessSite()
        // v1.3: a plain horizon counts from the end of the whole period (the example's 6pm the day before).
        let v13 = try await site.send("POST", "/api/v1_3/postPrognosis", as: "prosumer", json: [
            "type": "PostPrognosisRequest",
            "groups": [["connections": [InProcessSite.cs1, InProcessSite.battery], "values": [300, 300, 300, 0, 0, 300]]],
            "start": Self.start, "duration": "PT1H30M", "horizon": "PT7H30M", "unit": "MW",
        ])
        #expect(v13.status == 200, "\(v13.text)")
        // v2.0: a prior made later replaces it for the first slots.
        let v20 = try await site.send("POST", "/api/v2_0/postPrognosis", as: "prosumer", json: [
            "type": "PostPrognosisRequest", "connection": InProcessSite.cs1, "values": [100, 100],
            "start": Self.start, "duration": "PT30M", "prior": "2014-12-31T20:00:00Z", "unit": "MW",
        ])
        #expect(v20.status == 200, "\(v20.text)")
        func prognosis(_ extra: [String: String]) async throws -> [Double?] {
            var query = ["type": "GetPrognosisRequest", "connection": InProcessSite.cs1, "start": Self.start, "duration": "PT1H30M", "unit": "MW"]
            for (key, value) in extra { query[key] = value }
            let reply = try await site.get("/api/v2_0/getPrognosis", as: "prosumer", query: query)
            #expect(reply.json?["type"] as? String == "GetPrognosisResponse", "\(reply.text)")
            return values(reply)
        }
        #expect(try await prognosis([:]) == [100, 100, 300, 0, 0, 300])
        #expect(try await prognosis(["prior": "2014-12-31T19:00:00Z"]) == [300, 300, 300, 0, 0, 300])
        #expect(try await prognosis(["prior": "2014-12-31T17:00:00Z"]).isEmpty)
        // Made at 18:00 for a 00:15 end: 6h15m ahead; 20:00 for 00:15: 4h15m ahead.
        #expect(try await prognosis(["horizon": "PT5H"]) == [300, 300, 300, 0, 0, 300])
        #expect(try await prognosis(["horizon": "R/PT5H"]) == [300, 300, 300, 0, 0, 300])
    }

    @Test func metersDataSourcesCanBeChosen() async throws {
        let site = try InProcessSite()
        #expect(try await meterData(site, values: [1]).status == 200)
        #expect(values(try await readMeterData(site, duration: "PT15M", extra: ["source": "MDC"])) == [1], "own data is always included")
        let unknown = try await readMeterData(site, duration: "PT15M", extra: ["source": "Nobody"])
        #expect(unknown.statusString == "INVALID_SOURCE")
        let noMatch = try await readMeterData(site, duration: "PT15M", extra: ["sources": "[\"999\"]"])
        #expect(noMatch.statusString == "INVALID_SOURCE")
    }

    @Test func pricesFollowTheMarketsUnitAndName() async throws {
        let site = try InProcessSite()
        let prices: [Double] = [52.37, 51.14, 49.09, 48.35, 48.47, 49.98, 58.7, 67.76, 69.21, 70.26, 70.46, 70, 70.7, 70.41, 70,
                                64.53, 65.92, 69.72, 70.51, 75.49, 70.35, 70.01, 66.98, 58.61]
        let reply = try await site.send("POST", "/api/v2_0/postPriceData", as: "prosumer", json: [
            "type": "PostPriceDataRequest", "market": "ea1.2018-06.localhost:epex_da", "values": prices,
            "start": "2021-01-01T00:00:00+01:00", "duration": "PT24H", "prior": "2020-12-31T13:00:00+01:00", "unit": "EUR/MWh",
        ])
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.json?["type"] as? String == "PostPriceDataResponse")
        let v11 = try await site.send("POST", "/api/v1_1/postPriceData", as: "prosumer", json: [
            "type": "PostPriceDataRequest", "market": "ea1.2018-06.io.flexmeasures.company:kpx_da", "values": prices,
            "start": "2015-01-01T15:00:00+09:00", "duration": "PT24H", "horizon": "PT33H", "unit": "KRW/kWh",
        ])
        #expect(v11.status == 200, "\(v11.text)")
        let wrongUnit = try await site.send("POST", "/api/v2_0/postPriceData", as: "prosumer", json: [
            "type": "PostPriceDataRequest", "market": "ea1.2018-06.localhost:epex_da", "values": [1], "start": "2022-01-01T00:00:00Z",
            "duration": "PT1H", "unit": "KRW/kWh",
        ])
        #expect(wrongUnit.statusString == "INVALID_UNIT")
        let unknown = try await site.send("POST", "/api/v2_0/postPriceData", as: "prosumer", json: [
            "type": "PostPriceDataRequest", "market": "ea1.2018-06.localhost:nord_pool", "values": [1], "start": "2022-01-01T00:00:00Z",
            "duration": "PT1H", "unit": "EUR/MWh",
        ])
        #expect(unknown.statusString == "UNRECOGNIZED_MARKET")
    }

    @Test func weatherDataGoesToTheSensorAtItsLocation() async throws {
        let site = try InProcessSite()
        let reply = try await site.send("POST", "/api/v2_0/postWeatherData", as: "prosumer", json: [
            "type": "PostWeatherDataRequest",
            "groups": [["sensor": "ea1.2018-06.localhost:temperature:33.4843866:126.477859",
                        "values": [20.04, 20.23, 20.41, 20.51, 20.55, 20.57]]],
            "start": "2021-01-01T15:00:00+09:00", "duration": "PT1H30M", "prior": "2021-01-01T12:00:00+09:00", "unit": "°C",
        ])
        #expect(reply.status == 200, "\(reply.text)")
        let degC = try await site.send("POST", "/api/v1_1/postWeatherData", as: "prosumer", json: [
            "type": "PostWeatherDataRequest", "sensor": "ea1.2018-06.localhost:temperature:33.4843866:126.477859",
            "values": [20.04], "start": "2015-01-01T15:00:00+09:00", "duration": "PT15M", "horizon": "PT3H", "unit": "degC",
        ])
        #expect(degC.status == 200, "\(degC.text)")
        let elsewhere = try await site.send("POST", "/api/v2_0/postWeatherData", as: "prosumer", json: [
            "type": "PostWeatherDataRequest", "sensor": "ea1.2018-06.localhost:temperature:10:10", "values": [1],
            "start": "2021-01-01T15:00:00+09:00", "duration": "PT15M", "unit": "°C",
        ])
        #expect(elsewhere.statusString == "UNRECOGNIZED_SENSOR")
        #expect((elsewhere.json?["message"] as? String)?.contains("nearest") == true)
        let wrongUnit = try await site.send("POST", "/api/v2_0/postWeatherData", as: "prosumer", json: [
            "type": "PostWeatherDataRequest", "sensor": "ea1.2018-06.localhost:temperature:33.4843866:126.477859", "values": [1],
            "start": "2021-02-01T15:00:00+09:00", "duration": "PT15M", "unit": "m/s",
        ])
        #expect(wrongUnit.statusString == "INVALID_UNIT")
    }

    @Test func getConnectionListsTheUsersAssetsNewestFirst() async throws {
        let site = try InProcessSite()
        let reply = try await site.get("/api/v1_1/getConnection", as: "prosumer", query: ["type": "GetConnectionRequest"])
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.json?["names"] as? [String] == ["hourly", "battery", "solar", "cs1"])
        #expect((reply.json?["connections"] as? [String])?.count == 4)
    }

    @Test(arguments: ["v1", "v1_1", "v1_2", "v1_3", "v2_0"])
    func getServiceListsTheVersionsServicesWithoutAToken(version: String) async throws {
        let site = try InProcessSite()
        let reply = try await site.get("/api/\(version)/getService", as: nil, query: [:])
        #expect(reply.status == 200)
        let names = (reply.json?["services"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        #expect(names.contains("getMeterData"))
        #expect(names.contains("postUdiEvent") == (version >= "v1_2"))
        let prosumer = try await site.get("/api/\(version)/getService", as: nil, query: ["access": "ESCo"])
        #expect(prosumer.status == 200)
        let unknown = try await site.get("/api/\(version)/getService", as: nil, query: ["access": "Pirate"])
        #expect(unknown.statusString == "INVALID_ROLE")
    }
}
