import Beliefs
import Foundation
import Testing
import TestSupport

/// Tokens, roles and ownership on every protected route, answered by the router in process (the Unix
/// socket is in AppTests' UnixSocketTests).
@Suite(.serialized) struct APIAccessTests {
    struct Route: Sendable, CustomTestStringConvertible {
        let method: String
        let path: String
        var testDescription: String { "\(method) \(path)" }
    }

    static let versions = ["v1", "v1_1", "v1_2", "v1_3", "v2_0"]

    static let messageRoutes: [Route] = versions.flatMap { version -> [Route] in
        var routes = [Route(method: "GET", path: "/api/\(version)/getMeterData"), Route(method: "POST", path: "/api/\(version)/postMeterData")]
        if version == "v1" { routes.append(Route(method: "POST", path: "/api/v1/getMeterData")) }
        if version != "v1" {
            routes += ["getPrognosis", "getConnection"].map { Route(method: "GET", path: "/api/\(version)/\($0)") }
            routes += ["postPrognosis", "postPriceData", "postWeatherData"].map { Route(method: "POST", path: "/api/\(version)/\($0)") }
        }
        if version >= "v1_2" {
            routes += [Route(method: "POST", path: "/api/\(version)/postUdiEvent"), Route(method: "GET", path: "/api/\(version)/getDeviceMessage")]
        }
        return routes
    }

    static let restRoutes: [Route] = [
        Route(method: "GET", path: "/api/v2_0/assets"), Route(method: "POST", path: "/api/v2_0/assets"),
        Route(method: "GET", path: "/api/v2_0/asset/4"), Route(method: "PATCH", path: "/api/v2_0/asset/4"),
        Route(method: "DELETE", path: "/api/v2_0/asset/4"), Route(method: "GET", path: "/api/v2_0/users"),
        Route(method: "GET", path: "/api/v2_0/user/2"), Route(method: "PATCH", path: "/api/v2_0/user/2"),
        Route(method: "PATCH", path: "/api/v2_0/user/2/password-reset"),
        Route(method: "GET", path: "/api/v2_0/site/connection"), Route(method: "PUT", path: "/api/v2_0/site/connection"),
        Route(method: "DELETE", path: "/api/v2_0/site/connection"),
        Route(method: "GET", path: "/api/v2_0/alert-rules"), Route(method: "POST", path: "/api/v2_0/alert-rules"),
        Route(method: "GET", path: "/api/v2_0/alert-rule/1"), Route(method: "PATCH", path: "/api/v2_0/alert-rule/1"),
        Route(method: "DELETE", path: "/api/v2_0/alert-rule/1"), Route(method: "GET", path: "/api/v2_0/alerts"),
        Route(method: "POST", path: "/api/v2_0/alert/1/acknowledge"), Route(method: "POST", path: "/api/v2_0/alert/1/silence"),
    ]

    static let otherRoutes: [Route] = [
        Route(method: "GET", path: "/api/v2_0/charts/power"), Route(method: "PUT", path: "/api/restoreData"),
        Route(method: "PUT", path: "/api/v1_3/restoreData"),
    ]

    @Test func everyProtectedRouteRefusesMissingAndBadTokens() async throws {
        let site = try InProcessSite()
        let valid = try site.token("prosumer")
        let forged = valid.dropLast(3) + "AAA"
        for route in Self.messageRoutes + Self.restRoutes + Self.otherRoutes {
            for token in [nil, "garbage", String(forged), "999.1.abc"] {
                let reply = try await site.send(route.method, route.path, token: token, json: ["type": "x"])
                #expect(reply.status == 401, "\(route.testDescription) with \(token ?? "no token"): \(reply.text)")
                #expect(reply.statusString == "UNAUTHORIZED")
            }
        }
    }

    @Test func usersWithoutADataRoleGetInvalidSender() async throws {
        let site = try InProcessSite()
        for user in ["anonymous", "norole"] {
            for route in Self.messageRoutes {
                let reply = try await site.send(route.method, route.path, as: user, json: ["type": "x"])
                #expect(reply.status == 403, "\(route.testDescription) as \(user): \(reply.text)")
                #expect(reply.statusString == "INVALID_SENDER")
            }
        }
    }

    @Test func adminOnlyRestRoutesRefuseOthers() async throws {
        let site = try InProcessSite()
        let adminOnly = [
            Route(method: "POST", path: "/api/v2_0/assets"), Route(method: "DELETE", path: "/api/v2_0/asset/4"),
            Route(method: "GET", path: "/api/v2_0/users"), Route(method: "PATCH", path: "/api/v2_0/user/2/password-reset"),
            Route(method: "PUT", path: "/api/v2_0/site/connection"), Route(method: "DELETE", path: "/api/v2_0/site/connection"),
        ]
        for route in adminOnly {
            let reply = try await site.send(route.method, route.path, as: "prosumer", json: [:] as [String: String])
            #expect(reply.status == 403, "\(route.testDescription): \(reply.text)")
            #expect(reply.statusString == "INVALID_SENDER")
        }
    }

    @Test func someoneElsesAssetIsOutOfReach() async throws {
        let site = try InProcessSite()
        for (method, path) in [("GET", "/api/v2_0/asset/5"), ("PATCH", "/api/v2_0/asset/5"), ("GET", "/api/v2_0/user/3")] {
            let reply = try await site.send(method, path, as: "prosumer", json: ["latitude": 1])
            #expect(reply.status == 403, "\(method) \(path): \(reply.text)")
        }
        let listing = try await site.get("/api/v2_0/assets", as: "prosumer", query: ["owner_id": "3"])
        #expect(listing.status == 403)
        for version in Self.versions {
            let post = try await site.send("POST", "/api/\(version)/postMeterData", as: "prosumer", json: [
                "type": "PostMeterDataRequest", "connection": InProcessSite.theirs, "values": [1], "start": "2015-01-01T00:00:00Z",
                "duration": "PT15M", "horizon": "-PT5M", "unit": "MW",
            ])
            #expect(post.statusString == "UNRECOGNIZED_CONNECTION_GROUP", "\(version): \(post.text)")
            let get = try await site.get("/api/\(version)/getMeterData", as: "prosumer", query: [
                "type": "GetMeterDataRequest", "connection": InProcessSite.theirs, "start": "2015-01-01T00:00:00Z", "duration": "PT15M",
                "unit": "MW",
            ])
            #expect(get.statusString == "UNRECOGNIZED_CONNECTION_GROUP", "\(version): \(get.text)")
        }
        let admin = try await site.send("POST", "/api/v2_0/postMeterData", as: "admin", json: [
            "type": "PostMeterDataRequest", "connection": InProcessSite.theirs, "values": [1], "start": "2015-01-01T00:00:00Z",
            "duration": "PT15M", "unit": "MW",
        ])
        #expect(admin.status == 200, "admins act for everyone: \(admin.text)")
    }

    @Test func tokensExpireAfterTheirMaximumAge() async throws {
        let clock = MovableClock()
        let site = try InProcessSite(clock: clock.now) { $0.tokenMaxAge = .seconds(1) }
        let token = try site.token("prosumer")
        #expect(try await site.send("GET", "/api/v2_0/assets", token: token).status == 200)
        clock.advance(by: Timespan(microseconds: 2_200_000))
        let reply = try await site.send("GET", "/api/v2_0/assets", token: token)
        #expect(reply.status == 401)
        #expect((reply.json?["message"] as? String)?.contains("expired") == true)
    }

    @Test func deactivationAndPasswordResetKillTokens() async throws {
        let site = try InProcessSite()
        let prosumer = try site.token("prosumer")
        let mdc = try site.token("mdc")
        #expect(try await site.send("PATCH", "/api/v2_0/user/2", as: "admin", json: ["active": false]).status == 200)
        #expect(try await site.send("GET", "/api/v2_0/assets", token: prosumer).status == 401)
        let login = try await site.send("POST", "/api/requestAuthToken", json: ["email": "prosumer@example.com", "password": "password-prosumer"])
        #expect(login.status == 401)
        #expect(try await site.send("PATCH", "/api/v2_0/user/4/password-reset", as: "admin").status == 200)
        #expect(try await site.send("GET", "/api/v1_3/getConnection?type=GetConnectionRequest", token: mdc).status == 401)
    }

    @Test func requestAuthTokenAnswersAsTheReferenceDid() async throws {
        let site = try InProcessSite()
        let ok = try await site.send("POST", "/api/requestAuthToken", json: ["email": "admin@example.com", "password": "password-admin"])
        #expect(ok.status == 200)
        #expect(ok.json?["user_id"] as? Int == 1)
        #expect(try await site.send("POST", "/api/requestAuthToken", json: ["email": "admin@example.com", "password": "nope"]).status == 401)
        #expect(try await site.send("POST", "/api/requestAuthToken", json: ["email": "ghost@example.com", "password": "x"]).status == 404)
        #expect(try await site.send("POST", "/api/requestAuthToken", json: ["password": "x"]).status == 400)
        #expect(try await site.send("POST", "/api/requestAuthToken", json: ["email": "admin@example.com"]).status == 400)
        #expect(try await site.send("POST", "/api/requestAuthToken", body: Data("{not json".utf8)).status == 400)
    }

}

/// Malformed and hostile input: always a JSON 4xx, never a crash.
@Suite(.serialized) struct APIInputTests {
    @Test func malformedBodiesGetA400AndTheDaemonLives() async throws {
        let site = try InProcessSite()
        let token = try site.token("prosumer")
        let bodies: [Data] = [
            Data("{".utf8), Data("[1, 2]".utf8), Data("\"text\"".utf8), Data(String(repeating: "[", count: 10_000).utf8),
            Data("{\"type\": \"PostMeterDataRequest\", \"values\": \"many\"}".utf8), Data([0xFF, 0xFE, 0x00]),
            Data("{\"type\": \"PostMeterDataRequest\", \"connection\": \"\(InProcessSite.cs1)\", \"values\": [1e999], \"start\": \"2015-01-01T00:00:00Z\", \"duration\": \"PT15M\", \"horizon\": \"-PT5M\", \"unit\": \"MW\"}".utf8),
            Data("{\"type\": \"PostMeterDataRequest\", \"connection\": \"\(String(repeating: "x", count: 100_000))\"}".utf8),
            Data("{\"type\": \"PostMeterDataRequest\", \"connection\": \(InProcessSite.cs1.count)}".utf8),
        ]
        for body in bodies {
            let reply = try await site.send("POST", "/api/v1_3/postMeterData", token: token, body: body)
            #expect((400..<500).contains(reply.status), "\(reply.status) \(reply.text)")
            #expect(reply.json?["status"] is String, "\(reply.text)")
        }
        #expect(try await site.send("GET", "/api/").status == 200, "still serving")
    }

    @Test func hugeNumbersWhereIdsBelongAreRefusedNotTrapped() async throws {
        let site = try InProcessSite()
        let read = try await site.get("/api/v2_0/getMeterData", as: "prosumer", query: [
            "type": "GetMeterDataRequest", "connection": InProcessSite.cs1, "start": "2015-01-01T00:00:00Z", "duration": "PT15M", "source": "1e300",
        ])
        #expect((400..<500).contains(read.status), "\(read.text)")
        #expect(try await site.get("/api/v2_0/getMeterData", as: "prosumer", query: [
            "type": "GetMeterDataRequest", "connection": InProcessSite.cs1, "start": "2015-01-01T00:00:00Z", "duration": "PT15M", "sources": "[-1e999]",
        ]).status == 400)
        #expect(try await site.get("/api/v2_0/assets", as: "admin", query: ["owner_id": "1e300"]).status == 400)
        #expect(try await site.get("/api/v2_0/charts/power", as: "admin", query: [
            "resource": "1e300", "start_time": "2015-01-01T00:00:00Z", "end_time": "2015-01-02T00:00:00Z",
        ]).status == 404)
        #expect(try await site.send("PATCH", "/api/v2_0/user/3", as: "admin", json: ["flexmeasures_roles": [1e300]]).status == 422)
        #expect(try await site.send("POST", "/api/v2_0/assets", as: "admin", json: ["name": "x", "owner": 1e300]).status == 422)
        #expect(try await site.send("GET", "/api/").status == 200, "still serving")
    }

    @Test func bodiesOverTheLimitAreRefused() async throws {
        let site = try InProcessSite(configure: { $0.maximumBodyBytes = 10_000 })
        let token = try site.token("prosumer")
        let big = Data("{\"type\": \"PostMeterDataRequest\", \"values\": [\(Array(repeating: "1", count: 10_000).joined(separator: ","))]}".utf8)
        let reply = try await site.send("POST", "/api/v1_3/postMeterData", token: token, body: big)
        #expect(reply.status == 413)
        #expect(reply.statusString == "PAYLOAD_TOO_LARGE")
    }

    @Test func unknownRoutesAndWrongMethodsAnswerInJSON() async throws {
        let site = try InProcessSite()
        let missing = try await site.send("GET", "/api/v9_9/getMeterData")
        #expect(missing.status == 404)
        #expect(missing.statusString == "NOT_FOUND")
        let wrong = try await site.send("DELETE", "/api/v2_0/postMeterData")
        #expect(wrong.status == 405)
        #expect(wrong.statusString == "INVALID_METHOD")
        let getOnPost = try await site.send("GET", "/api/v1_3/postPriceData")
        #expect(getOnPost.status == 405)
    }
}
