import Foundation
import Testing
import TestSupport

/// The reference's settings that shape the API (Configuration chapter 2): the platform name, the hosts
/// and their authority start, CORS, and the token header, from the TOML file or the environment.
@Suite(.serialized) struct ReferenceSettingsTests {
    @Test func theFileSetsNamingAuthorityCORSAndPlatformName() throws {
        let folder = try TemporaryDatabase()
        let config = folder.directory.appendingPathComponent("flexmeasures.toml").path
        try """
            FLEXMEASURES_PLATFORM_NAME = "Site EMS"
            FLEXMEASURES_HOSTS_AND_AUTH_START = { "site.example" = "2024-03", 'flexmeasures.io' = "2021-01" }
            CORS_ORIGINS = ["https://dash.site.example", "https://ops.site.example",]   # a trailing comma is fine
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let site = try APISite(environment: ["FLEXMEASURES_CONFIG": config])

        let shown = try site.runner.run(["config", "show"])
        #expect(shown.stdout.contains("CORS_ORIGINS = https://dash.site.example,https://ops.site.example    # \(config)"), "\(shown.stdout)")
        #expect(shown.stdout.contains("FLEXMEASURES_HOSTS_AND_AUTH_START = site.example=2024-03,flexmeasures.io=2021-01"))
        #expect(shown.stdout.contains("CORS_SUPPORTS_CREDENTIALS = true    # default"))

        // Addresses carry the authority of the host asked for, else of the first host listed.
        let token = try site.token("prosumer")
        let asked = try site.http.send("GET", "/api/v2_0/getConnection?type=GetConnectionRequest", token: token,
                                       headers: ["Host": "ems.flexmeasures.io:5000"])
        #expect((asked.json?["connections"] as? [String])?.first == "ea1.2021-01.io.flexmeasures:2:7", "\(asked.text)")
        let local = try site.http.send("GET", "/api/v2_0/getConnection?type=GetConnectionRequest", token: token)
        let connections = try #require(local.json?["connections"] as? [String], "\(local.text)")
        #expect(connections.first == "ea1.2024-03.example.site:2:7")
        // What getConnection gives out is accepted back as a connection.
        let post = try site.http.send("POST", "/api/v2_0/postMeterData", token: token, json: [
            "type": "PostMeterDataRequest", "connection": connections.last!, "values": [1], "start": "2015-01-01T00:00:00Z",
            "duration": "PT15M", "unit": "MW",
        ])
        #expect(post.status == 200, "\(post.text)")

        // A listed origin may read answers, errors included; another may not.
        let listed = try site.http.send("GET", "/api/", headers: ["Origin": "https://dash.site.example"])
        #expect(listed.headers["access-control-allow-origin"] == "https://dash.site.example")
        #expect(listed.headers["access-control-allow-credentials"] == "true")
        #expect(listed.headers["vary"] == "Origin")
        let refused = try site.http.send("GET", "/api/v2_0/getConnection", headers: ["Origin": "https://ops.site.example"])
        #expect(refused.status == 401)
        #expect(refused.headers["access-control-allow-origin"] == "https://ops.site.example", "the browser may read the error")
        let stranger = try site.http.send("GET", "/api/", headers: ["Origin": "https://evil.example"])
        #expect(stranger.status == 200)
        #expect(stranger.headers["access-control-allow-origin"] == nil)
        // The browser's preflight before a GET with a token.
        let preflight = try site.http.send("OPTIONS", "/api/v2_0/charts/power", headers: [
            "Origin": "https://dash.site.example", "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization, content-type",
        ])
        #expect(preflight.status == 204)
        #expect(preflight.headers["access-control-allow-methods"]?.contains("GET") == true)
        #expect(preflight.headers["access-control-allow-headers"] == "authorization, content-type")
        let strangerPreflight = try site.http.send("OPTIONS", "/api/v2_0/charts/power", headers: [
            "Origin": "https://evil.example", "Access-Control-Request-Method": "GET",
        ])
        #expect(strangerPreflight.headers["access-control-allow-origin"] == nil)
        #expect(strangerPreflight.statusString == "INVALID_METHOD", "\(strangerPreflight.text)")

        // The platform's name heads its charts.
        let chart = try site.get("/api/v2_0/charts/power", as: "prosumer", query: [
            "resource": "cs1", "start_time": "2015-01-01T00:00:00Z", "end_time": "2015-01-01T01:00:00Z",
        ])
        #expect(chart.status == 200, "\(chart.text)")
        #expect((chart.json?["title"] as? String)?.hasPrefix("Site EMS: ") == true, "\(chart.text)")
    }

    @Test func theTokenTravelsInTheConfiguredHeader() throws {
        let site = try APISite(environment: ["SECURITY_TOKEN_AUTHENTICATION_HEADER": "X-Auth-Token"])
        let token = try site.token("prosumer")
        let path = "/api/v2_0/getConnection?type=GetConnectionRequest"
        #expect(try site.http.send("GET", path, headers: ["X-Auth-Token": token]).status == 200)
        let wrongHeader = try site.http.send("GET", path, token: token)
        #expect(wrongHeader.status == 401)
        #expect((wrongHeader.json?["message"] as? String)?.contains("X-Auth-Token") == true, "\(wrongHeader.text)")
    }

    /// A value that cannot be used stops the daemon before it serves, naming the setting.
    @Test(arguments: [
        ("FLEXMEASURES_HOSTS_AND_AUTH_START", "{\"site.example\": \"March\"}"),
        ("FLEXMEASURES_HOSTS_AND_AUTH_START", "site..example=2024-03"),
        ("CORS_SUPPORTS_CREDENTIALS", "maybe"),
        ("SECURITY_TOKEN_AUTHENTICATION_HEADER", "X Token"),
    ])
    func unusableValuesAreRefused(name: String, value: String) throws {
        let file = try TemporaryDatabase()
        let result = try CommandRunner(database: file.path, environment: [name: value]).run(["run", "--bind", "127.0.0.1:0"])
        #expect(result.exitCode == 2, "\(result.stderr)")
        #expect(result.stderr.contains(name), "\(result.stderr)")
    }

    @Test func theReferenceFormsOfListsAndHostsAreUnderstood() throws {
        let site = try APISite(environment: [
            "FLEXMEASURES_HOSTS_AND_AUTH_START": "{\"site.example\": \"2024-03\"}",
            "CORS_ORIGINS": "[\"*\"]", "CORS_SUPPORTS_CREDENTIALS": "false",
        ])
        let local = try site.send("GET", "/api/v2_0/getConnection?type=GetConnectionRequest", as: "prosumer")
        #expect((local.json?["connections"] as? [String])?.first == "ea1.2024-03.example.site:2:7", "\(local.text)")
        let any = try site.http.send("GET", "/api/", headers: ["Origin": "https://anyone.example"])
        #expect(any.headers["access-control-allow-origin"] == "*")
        #expect(any.headers["access-control-allow-credentials"] == nil)
    }
}
