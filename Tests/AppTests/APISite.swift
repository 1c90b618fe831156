import Foundation
import Testing
import TestSupport

/// A daemon on a fresh database with the standard structure, users of every kind, and assets:
/// what the API tests post to and read from.
final class APISite: TestSiteLayout {
    let file: TemporaryDatabase
    let runner: CommandRunner
    private(set) var daemon: RunningDaemon
    /// The Unix socket the daemon also listens on, if any (the same path across restarts).
    let unixSocketPath: String?
    private(set) var tokens: [String: String] = [:]

    static let users = userRoles.map { (name: $0.name, roles: $0.roles.joined(separator: ",")) }

    init(environment: [String: String] = [:], unixSocket: Bool = false) throws {
        file = try TemporaryDatabase()
        var runner = CommandRunner(database: file.path)
        runner.environment["SECRET_KEY"] = "test-secret"
        for (key, value) in environment { runner.environment[key] = value }
        self.runner = runner
        try #require(runner.run(["add", "structure"]).exitCode == 0)
        for user in Self.users {
            let result = try runner.run(["add", "user", "--username", user.name, "--email", "\(user.name)@example.com",
                                         "--roles", user.roles, "--password", "password-\(user.name)"])
            try #require(result.exitCode == 0, "\(result.stderr)")
        }
        let assets: [[String]] = [
            ["--name", "cs1", "--asset-type-name", "one-way_evse", "--owner-id", "2"],
            ["--name", "solar", "--asset-type-name", "solar", "--owner-id", "2"],
            ["--name", "battery", "--asset-type-name", "battery", "--owner-id", "2", "--min-soc-in-MWh", "0", "--max-soc-in-MWh", "5"],
            ["--name", "theirs", "--asset-type-name", "battery", "--owner-id", "3"],
        ]
        for asset in assets {
            let result = try runner.run(["add", "asset", "--capacity-in-MW", "2", "--latitude", "33.5", "--longitude", "126.5",
                                         "--event-resolution", "15", "--market-id", "1"] + asset)
            try #require(result.exitCode == 0, "\(result.stderr)")
        }
        try #require(runner.run(["add", "weather-sensor", "--name", "thermometer", "--weather-sensor-type-name", "temperature",
                                 "--latitude", "33.4843866", "--longitude", "126.477859", "--event-resolution", "15"]).exitCode == 0)
        try #require(runner.run(["add", "asset", "--name", "hourly", "--asset-type-name", "building", "--owner-id", "2",
                                 "--capacity-in-MW", "1", "--latitude", "33", "--longitude", "126", "--event-resolution", "60"]).exitCode == 0)
        try #require(runner.run(["add", "market", "--name", "kpx_da", "--unit", "KRW/kWh", "--event-resolution", "60"]).exitCode == 0)
        unixSocketPath = unixSocket ? file.directory.appendingPathComponent("fm.sock").path : nil
        daemon = try RunningDaemon(runner: runner, unixSocket: unixSocketPath)
    }

    /// Starts a new daemon on the same database (and socket path) after the last one stopped or died;
    /// tokens stay valid, since the secret key is fixed. The TCP port changes.
    func restartDaemon() throws {
        if daemon.isRunning { _ = daemon.stop() }
        daemon = try RunningDaemon(runner: runner, unixSocket: unixSocketPath)
    }

    deinit {
        _ = daemon.stop()
    }

    var http: HTTPClient { daemon.tcp }

    func token(_ user: String) throws -> String {
        if let token = tokens[user] { return token }
        let reply = try http.send("POST", "/api/requestAuthToken", json: ["email": "\(user)@example.com", "password": "password-\(user)"])
        let token = try #require(reply.json?["auth_token"] as? String, "\(reply.text)")
        tokens[user] = token
        return token
    }

    /// Sends a message as a user.
    func send(_ method: String, _ path: String, as user: String?, json: Any? = nil) throws -> HTTPClient.Reply {
        try http.send(method, path, token: user.map { try token($0) }, json: json)
    }

    /// A GET with its message in the query string.
    func get(_ path: String, as user: String?, query: [String: String]) throws -> HTTPClient.Reply {
        var components = URLComponents()
        components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        let encoded = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return try http.send("GET", "\(path)?\(encoded)", token: user.map { try token($0) })
    }
}
