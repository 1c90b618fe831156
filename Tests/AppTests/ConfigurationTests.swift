import Foundation
import Testing
import TestSupport

/// Settings from a TOML file, overridden by the environment; the daemon's refusal without SECRET_KEY.
@Suite(.serialized) struct ConfigurationTests {
    func writeConfig(_ file: TemporaryDatabase, _ text: String) throws -> String {
        let path = file.directory.appendingPathComponent("flexmeasures.toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func theUplinksPasswordNeverShows() throws {
        let file = try TemporaryDatabase()
        let passwordFile = file.directory.appendingPathComponent("uplink-password").path
        try FileManager.default.createDirectory(at: file.directory, withIntermediateDirectories: true)
        try "from-the-file\n".write(toFile: passwordFile, atomically: true, encoding: .utf8)
        var cli = CommandRunner(database: file.path)
        cli.environment["FLEXMEASURES_UPLINK_URL"] = "postgres://fleet:in-the-url@127.0.0.1:1/fleet"
        cli.environment["FLEXMEASURES_UPLINK_SITE"] = "hub"
        cli.environment["FLEXMEASURES_UPLINK_PASSWORD"] = "from-the-environment"
        cli.environment["FLEXMEASURES_UPLINK_PASSWORD_FILE"] = passwordFile
        let shown = try cli.run(["config", "show"])
        #expect(shown.stdout.contains("FLEXMEASURES_UPLINK_URL = postgres://fleet:********@127.0.0.1:1/fleet    # environment"))
        #expect(shown.stdout.contains("FLEXMEASURES_UPLINK_PASSWORD = ********    # environment"))
        for secret in ["in-the-url", "from-the-environment", "from-the-file"] { #expect(!shown.stdout.contains(secret)) }
        let status = try cli.run(["uplink", "status"])
        #expect(status.exitCode == 2, "a password in the URL is refused: \(status.stdout)")
        #expect(status.stderr.contains("FLEXMEASURES_UPLINK_PASSWORD_FILE") && !status.stderr.contains("in-the-url"))
    }

    @Test func theEnvironmentWinsOverTheFileWhichWinsOverDefaults() throws {
        let file = try TemporaryDatabase()
        let config = try writeConfig(file, """
            # the site's settings
            [flexmeasures]
            SECRET_KEY = "from-the-file"   # a comment after a value
            FLEXMEASURES_TIMEZONE = 'Europe/Amsterdam'
            FLEXMEASURES_PLANNING_HORIZON = "PT24H"
            SECURITY_TOKEN_MAX_AGE = 3_600
            FLEXMEASURES_FORECAST_METER_DATA = false
            """)
        var cli = CommandRunner(database: file.path)
        cli.environment["FLEXMEASURES_PLANNING_HORIZON"] = "PT12H"
        let shown = try cli.run(["config", "show", "--config", config])
        #expect(shown.exitCode == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("SECRET_KEY = ********    # \(config)"))
        #expect(!shown.stdout.contains("from-the-file"), "secrets are masked")
        #expect(shown.stdout.contains("FLEXMEASURES_TIMEZONE = Europe/Amsterdam    # \(config)"))
        #expect(shown.stdout.contains("FLEXMEASURES_PLANNING_HORIZON = PT12H    # environment"))
        #expect(shown.stdout.contains("SECURITY_TOKEN_MAX_AGE = 3600    # \(config)"))
        #expect(shown.stdout.contains("FLEXMEASURES_PLANNING_TTL = P7D    # default"))
        // The file's timezone is what a new user gets.
        let user = try cli.run(["add", "user", "--username", "u", "--email", "u@example.com", "--password", "12345678", "--config", config])
        #expect(user.exitCode == 0, "\(user.stderr)")
        var fromEnvironment = cli
        fromEnvironment.environment["FLEXMEASURES_CONFIG"] = config
        #expect(try fromEnvironment.run(["config", "show"]).stdout.contains("# configuration file: \(config)"))
    }

    @Test func aBrokenFileIsAUsageErrorNamingTheLine() throws {
        let file = try TemporaryDatabase()
        let config = try writeConfig(file, "SECRET_KEY = \"fine\"\nFLEXMEASURES_BIND = [1, 2]\n")
        let result = try CommandRunner(database: file.path).run(["config", "show", "--config", config])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("line 2"), "\(result.stderr)")
        let missing = try CommandRunner(database: file.path).run(["config", "show", "--config", "/nonexistent.toml"])
        #expect(missing.exitCode == 2)
    }

    @Test func outsideDevelopmentTheDaemonNeedsASecretKey() throws {
        let file = try TemporaryDatabase()
        var production = CommandRunner(database: file.path)
        production.environment["FLEXMEASURES_ENV"] = "production"
        let refused = try production.run(["run", "--bind", "127.0.0.1:0"])
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains("SECRET_KEY"))
        #expect(refused.stderr.contains("/dev/urandom"), "it says how to make one")
        let config = try writeConfig(file, "SECRET_KEY = \"a-long-random-key\"\n")
        production.environment["FLEXMEASURES_CONFIG"] = config
        let daemon = try RunningDaemon(runner: production)
        #expect(try daemon.tcp.send("GET", "/api/").status == 200)
        #expect(daemon.stop() == 0)
    }
}

@Suite(.serialized) struct TLSTests {
    @Test func theTCPListenerSpeaksTLSWithACertificateAndKey() throws {
        let file = try TemporaryDatabase()
        let certificate = file.directory.appendingPathComponent("cert.pem").path
        let key = file.directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=localhost"]
        openssl.standardError = FileHandle.nullDevice
        openssl.standardOutput = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0)

        var runner = CommandRunner(database: file.path)
        runner.environment["FLEXMEASURES_TLS_CERT"] = certificate
        runner.environment["FLEXMEASURES_TLS_KEY"] = key
        let daemon = try RunningDaemon(runner: runner)
        #expect(daemon.logText.contains("listening on https://"))
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-s", "--cacert", certificate, "--resolve", "localhost:\(daemon.port):127.0.0.1", "https://localhost:\(daemon.port)/api/"]
        let output = Pipe()
        curl.standardOutput = output
        try curl.run()
        let body = output.fileHandleForReading.readDataToEndOfFile()
        curl.waitUntilExit()
        #expect(curl.terminationStatus == 0)
        #expect(String(decoding: body, as: UTF8.self).contains("\"versions\""))
        #expect((try? daemon.tcp.send("GET", "/api/"))?.status != 200, "plain HTTP is not answered")
        #expect(daemon.stop() == 0)

        var halfConfigured = CommandRunner(database: file.path)
        halfConfigured.environment["FLEXMEASURES_TLS_CERT"] = certificate
        let refused = try halfConfigured.run(["run", "--bind", "127.0.0.1:0"])
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains("FLEXMEASURES_TLS_KEY"))
    }
}
