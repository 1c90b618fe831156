import Foundation
import Testing
import TestSupport

/// Tokens, roles and ownership on every protected route, and both transports.
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
    ]

    static let otherRoutes: [Route] = [
        Route(method: "GET", path: "/api/v2_0/charts/power"), Route(method: "PUT", path: "/api/restoreData"),
        Route(method: "PUT", path: "/api/v1_3/restoreData"),
    ]

    @Test func everyProtectedRouteRefusesMissingAndBadTokens() throws {
        let site = try APISite()
        let valid = try site.token("prosumer")
        let forged = valid.dropLast(3) + "AAA"
        for route in Self.messageRoutes + Self.restRoutes + Self.otherRoutes {
            for token in [nil, "garbage", String(forged), "999.1.abc"] {
                let reply = try site.http.send(route.method, route.path, token: token, json: ["type": "x"])
                #expect(reply.status == 401, "\(route.testDescription) with \(token ?? "no token"): \(reply.text)")
                #expect(reply.statusString == "UNAUTHORIZED")
            }
        }
    }

    @Test func usersWithoutADataRoleGetInvalidSender() throws {
        let site = try APISite()
        for user in ["anonymous", "norole"] {
            for route in Self.messageRoutes {
                let reply = try site.send(route.method, route.path, as: user, json: ["type": "x"])
                #expect(reply.status == 403, "\(route.testDescription) as \(user): \(reply.text)")
                #expect(reply.statusString == "INVALID_SENDER")
            }
        }
    }

    @Test func adminOnlyRestRoutesRefuseOthers() throws {
        let site = try APISite()
        let adminOnly = [
            Route(method: "POST", path: "/api/v2_0/assets"), Route(method: "DELETE", path: "/api/v2_0/asset/4"),
            Route(method: "GET", path: "/api/v2_0/users"), Route(method: "PATCH", path: "/api/v2_0/user/2/password-reset"),
            Route(method: "PUT", path: "/api/v2_0/site/connection"), Route(method: "DELETE", path: "/api/v2_0/site/connection"),
        ]
        for route in adminOnly {
            let reply = try site.send(route.method, route.path, as: "prosumer", json: [:] as [String: String])
            #expect(reply.status == 403, "\(route.testDescription): \(reply.text)")
            #expect(reply.statusString == "INVALID_SENDER")
        }
    }

    @Test func someoneElsesAssetIsOutOfReach() throws {
        let site = try APISite()
        for (method, path) in [("GET", "/api/v2_0/asset/5"), ("PATCH", "/api/v2_0/asset/5"), ("GET", "/api/v2_0/user/3")] {
            let reply = try site.send(method, path, as: "prosumer", json: ["latitude": 1])
            #expect(reply.status == 403, "\(method) \(path): \(reply.text)")
        }
        let listing = try site.get("/api/v2_0/assets", as: "prosumer", query: ["owner_id": "3"])
        #expect(listing.status == 403)
        for version in Self.versions {
            let post = try site.send("POST", "/api/\(version)/postMeterData", as: "prosumer", json: [
                "type": "PostMeterDataRequest", "connection": APISite.theirs, "values": [1], "start": "2015-01-01T00:00:00Z",
                "duration": "PT15M", "horizon": "-PT5M", "unit": "MW",
            ])
            #expect(post.statusString == "UNRECOGNIZED_CONNECTION_GROUP", "\(version): \(post.text)")
            let get = try site.get("/api/\(version)/getMeterData", as: "prosumer", query: [
                "type": "GetMeterDataRequest", "connection": APISite.theirs, "start": "2015-01-01T00:00:00Z", "duration": "PT15M",
                "unit": "MW",
            ])
            #expect(get.statusString == "UNRECOGNIZED_CONNECTION_GROUP", "\(version): \(get.text)")
        }
        let admin = try site.send("POST", "/api/v2_0/postMeterData", as: "admin", json: [
            "type": "PostMeterDataRequest", "connection": APISite.theirs, "values": [1], "start": "2015-01-01T00:00:00Z",
            "duration": "PT15M", "unit": "MW",
        ])
        #expect(admin.status == 200, "admins act for everyone: \(admin.text)")
    }

    @Test func tokensExpireAfterTheirMaximumAge() throws {
        let site = try APISite(environment: ["SECURITY_TOKEN_MAX_AGE": "1"])
        let token = try site.token("prosumer")
        #expect(try site.http.send("GET", "/api/v2_0/assets", token: token).status == 200)
        Thread.sleep(forTimeInterval: 2.2)
        let reply = try site.http.send("GET", "/api/v2_0/assets", token: token)
        #expect(reply.status == 401)
        #expect((reply.json?["message"] as? String)?.contains("expired") == true)
    }

    @Test func deactivationAndPasswordResetKillTokens() throws {
        let site = try APISite()
        let prosumer = try site.token("prosumer")
        let mdc = try site.token("mdc")
        #expect(try site.send("PATCH", "/api/v2_0/user/2", as: "admin", json: ["active": false]).status == 200)
        #expect(try site.http.send("GET", "/api/v2_0/assets", token: prosumer).status == 401)
        let login = try site.http.send("POST", "/api/requestAuthToken", json: ["email": "prosumer@example.com", "password": "password-prosumer"])
        #expect(login.status == 401)
        #expect(try site.send("PATCH", "/api/v2_0/user/4/password-reset", as: "admin").status == 200)
        #expect(try site.http.send("GET", "/api/v1_3/getConnection?type=GetConnectionRequest", token: mdc).status == 401)
    }

    @Test func requestAuthTokenAnswersAsTheReferenceDid() throws {
        let site = try APISite()
        let ok = try site.http.send("POST", "/api/requestAuthToken", json: ["email": "admin@example.com", "password": "password-admin"])
        #expect(ok.status == 200)
        #expect(ok.json?["user_id"] as? Int == 1)
        #expect(try site.http.send("POST", "/api/requestAuthToken", json: ["email": "admin@example.com", "password": "nope"]).status == 401)
        #expect(try site.http.send("POST", "/api/requestAuthToken", json: ["email": "ghost@example.com", "password": "x"]).status == 404)
        #expect(try site.http.send("POST", "/api/requestAuthToken", json: ["password": "x"]).status == 400)
        #expect(try site.http.send("POST", "/api/requestAuthToken", json: ["email": "admin@example.com"]).status == 400)
        #expect(try site.http.send("POST", "/api/requestAuthToken", body: Data("{not json".utf8)).status == 400)
    }

    @Test func theUnixSocketServesTheSameAPIWithTightPermissions() throws {
        let site = try APISite(unixSocket: true)
        let unix = try #require(site.daemon.unix)
        let path = try #require(site.daemon.unixSocket)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o660)
        let versions = try unix.send("GET", "/api/")
        #expect(versions.status == 200)
        let login = try unix.send("POST", "/api/requestAuthToken", json: ["email": "prosumer@example.com", "password": "password-prosumer"])
        let token = try #require(login.json?["auth_token"] as? String)
        let post = try unix.send("POST", "/api/v2_0/postMeterData", token: token, json: [
            "type": "PostMeterDataRequest", "connection": APISite.cs1, "values": [3], "start": "2015-01-01T00:00:00Z",
            "duration": "PT15M", "unit": "MW",
        ])
        #expect(post.status == 200, "\(post.text)")
        // Written over the socket, read over TCP with the same token.
        let read = try site.http.send("GET", "/api/v2_0/getMeterData?type=GetMeterDataRequest&connection=\(APISite.cs1)&start=2015-01-01T00:00:00Z&duration=PT15M", token: token)
        #expect(read.json?["values"] as? [Double] == [3], "\(read.text)")
        #expect(site.daemon.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: path), "the socket file is removed on shutdown")
    }

    @Test func unixSocketAloneLeavesTCPOff() throws {
        let file = try TemporaryDatabase()
        let path = file.directory.appendingPathComponent("only.sock").path
        let process = Process()
        process.executableURL = CommandRunner.binary
        process.arguments = ["run", "--unix-socket", path, "--db", file.path]
        process.environment = CommandRunner(database: file.path).processEnvironment()
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { kill(process.processIdentifier, SIGTERM); process.waitUntilExit() }
        var reply: HTTPClient.Reply?
        for _ in 0..<200 where reply == nil {
            reply = try? HTTPClient(endpoint: .unix(path: path)).send("GET", "/api/")
            if reply == nil { Thread.sleep(forTimeInterval: 0.02) }
        }
        #expect(reply?.status == 200)
        #expect(throws: (any Error).self) { try HTTPClient(endpoint: .tcp(port: 5000)).send("GET", "/api/") }
    }
}

/// Malformed and hostile input: always a JSON 4xx, never a crash.
@Suite(.serialized) struct APIInputTests {
    @Test func malformedBodiesGetA400AndTheDaemonLives() throws {
        let site = try APISite()
        let token = try site.token("prosumer")
        let bodies: [Data] = [
            Data("{".utf8), Data("[1, 2]".utf8), Data("\"text\"".utf8), Data(String(repeating: "[", count: 10_000).utf8),
            Data("{\"type\": \"PostMeterDataRequest\", \"values\": \"many\"}".utf8), Data([0xFF, 0xFE, 0x00]),
            Data("{\"type\": \"PostMeterDataRequest\", \"connection\": \"\(APISite.cs1)\", \"values\": [1e999], \"start\": \"2015-01-01T00:00:00Z\", \"duration\": \"PT15M\", \"horizon\": \"-PT5M\", \"unit\": \"MW\"}".utf8),
            Data("{\"type\": \"PostMeterDataRequest\", \"connection\": \"\(String(repeating: "x", count: 100_000))\"}".utf8),
            Data("{\"type\": \"PostMeterDataRequest\", \"connection\": \(APISite.cs1.count)}".utf8),
        ]
        for body in bodies {
            let reply = try site.http.send("POST", "/api/v1_3/postMeterData", token: token, body: body)
            #expect((400..<500).contains(reply.status), "\(reply.status) \(reply.text)")
            #expect(reply.json?["status"] is String, "\(reply.text)")
        }
        #expect(try site.http.send("GET", "/api/").status == 200, "still serving")
    }

    @Test func hugeNumbersWhereIdsBelongAreRefusedNotTrapped() throws {
        let site = try APISite()
        let read = try site.get("/api/v2_0/getMeterData", as: "prosumer", query: [
            "type": "GetMeterDataRequest", "connection": APISite.cs1, "start": "2015-01-01T00:00:00Z", "duration": "PT15M", "source": "1e300",
        ])
        #expect((400..<500).contains(read.status), "\(read.text)")
        #expect(try site.get("/api/v2_0/getMeterData", as: "prosumer", query: [
            "type": "GetMeterDataRequest", "connection": APISite.cs1, "start": "2015-01-01T00:00:00Z", "duration": "PT15M", "sources": "[-1e999]",
        ]).status == 400)
        #expect(try site.get("/api/v2_0/assets", as: "admin", query: ["owner_id": "1e300"]).status == 400)
        #expect(try site.get("/api/v2_0/charts/power", as: "admin", query: [
            "resource": "1e300", "start_time": "2015-01-01T00:00:00Z", "end_time": "2015-01-02T00:00:00Z",
        ]).status == 404)
        #expect(try site.send("PATCH", "/api/v2_0/user/3", as: "admin", json: ["flexmeasures_roles": [1e300]]).status == 422)
        #expect(try site.send("POST", "/api/v2_0/assets", as: "admin", json: ["name": "x", "owner": 1e300]).status == 422)
        #expect(try site.http.send("GET", "/api/").status == 200, "still serving")
    }

    @Test func bodiesOverTheLimitAreRefused() throws {
        let site = try APISite(environment: ["FLEXMEASURES_MAX_BODY_BYTES": "10000"])
        let token = try site.token("prosumer")
        let big = Data("{\"type\": \"PostMeterDataRequest\", \"values\": [\(Array(repeating: "1", count: 10_000).joined(separator: ","))]}".utf8)
        let reply = try site.http.send("POST", "/api/v1_3/postMeterData", token: token, body: big)
        #expect(reply.status == 413)
        #expect(reply.statusString == "PAYLOAD_TOO_LARGE")
    }

    @Test func unknownRoutesAndWrongMethodsAnswerInJSON() throws {
        let site = try APISite()
        let missing = try site.http.send("GET", "/api/v9_9/getMeterData")
        #expect(missing.status == 404)
        #expect(missing.statusString == "NOT_FOUND")
        let wrong = try site.http.send("DELETE", "/api/v2_0/postMeterData")
        #expect(wrong.status == 405)
        #expect(wrong.statusString == "INVALID_METHOD")
        let getOnPost = try site.http.send("GET", "/api/v1_3/postPriceData")
        #expect(getOnPost.status == 405)
    }
}
