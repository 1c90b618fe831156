import Foundation
import Testing
import TestSupport

/// The API over a Unix domain socket, alone or beside TCP: what needs the daemon's listeners.
@Suite(.serialized) struct UnixSocketTests {
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
