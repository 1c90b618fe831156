import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The release daemon on a benchmark's database, on a free loopback port, stopped when the benchmark ends.
final class BenchDaemon {
    let process = Process()
    let port: Int
    /// Nanoseconds from launch to the first answered request.
    let startUpNanoseconds: UInt64

    init(binary: String?, database: String, environment extra: [String: String] = [:]) throws {
        let binary = binary
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("flexmeasures").path
        port = try APIBenchmark.freePort()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run", "--bind", "127.0.0.1:\(port)", "--db", database]
        var environment = ProcessInfo.processInfo.environment
        environment["SECRET_KEY"] = "benchmark"
        environment.merge(extra) { $1 }
        process.environment = environment
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        let launched = DispatchTime.now().uptimeNanoseconds
        try process.run()
        while (try? HTTPConnection(port: port).send("GET", "/api/"))?.status != 200 {
            guard process.isRunning else { throw HTTPConnection.Failure(description: "the daemon \(binary) exited at start-up") }
            usleep(1000)
        }
        startUpNanoseconds = DispatchTime.now().uptimeNanoseconds - launched
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }
    }

    /// A token for a user's email and password.
    func token(on connection: HTTPConnection, email: String, password: String) throws -> String {
        let login = try connection.send("POST", "/api/requestAuthToken", body: Array(#"{"email": "\#(email)", "password": "\#(password)"}"#.utf8))
        guard let token = (try JSONSerialization.jsonObject(with: Data(login.body)) as? [String: Any])?["auth_token"] as? String else {
            throw HTTPConnection.Failure(description: "no token: \(String(decoding: login.body, as: UTF8.self))")
        }
        return token
    }
}
