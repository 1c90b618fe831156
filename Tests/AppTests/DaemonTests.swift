import Foundation
import Testing
import TestSupport

@Suite struct DaemonTests {
    @Test func servesTheAPIVersionsAndStopsCleanlyOnSIGTERM() async throws {
        let file = try TemporaryDatabase()
        let daemon = try RunningDaemon(runner: CommandRunner(database: file.path))
        for path in ["/api/", "/api"] {
            let answer = try await daemon.get(path)
            #expect(answer.status == 200)
            #expect(answer.contentType?.hasPrefix("application/json") == true)
            let json = try #require(try JSONSerialization.jsonObject(with: answer.body) as? [String: Any])
            #expect(json["versions"] as? [String] == ["v1", "v1_1", "v1_2", "v1_3", "v2_0"])
            #expect(json["status"] as? Int == 200)
        }
        #expect(daemon.stop() == 0, "\(daemon.logText)")
    }

    @Test func firstStartCreatesAndMigratesTheDatabase() async throws {
        let file = try TemporaryDatabase()
        let nested = file.directory.appendingPathComponent("var/site.db").path
        let daemon = try RunningDaemon(runner: CommandRunner(database: nested))
        #expect(FileManager.default.fileExists(atPath: nested))
        #expect(daemon.stop() == 0)
        let current = try CommandRunner(database: nested).run(["db", "current"])
        #expect(!current.stdout.contains("pending"))
        #expect(!current.stdout.contains("no migrations"))
    }

    @Test(arguments: ["localhost", "127.0.0.1:http", "127.0.0.1:70000", ":5000"])
    func badBindAddressesAreUsageErrors(bind: String) throws {
        let file = try TemporaryDatabase()
        let result = try CommandRunner(database: file.path).run(["run", "--bind", bind])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("HOST:PORT"))
    }

    @Test func bindComesFromTheEnvironment() throws {
        let file = try TemporaryDatabase()
        var runner = CommandRunner(database: file.path)
        runner.environment["FLEXMEASURES_BIND"] = "nonsense"
        let result = try runner.run(["run"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("nonsense"))
    }
}
