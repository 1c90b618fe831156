import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `flexmeasures run` started as a process on a free port (`--bind 127.0.0.1:0`), stopped with SIGTERM.
final class RunningDaemon {
    let process = Process()
    let port: Int
    private let errors = Pipe()
    private let log = LogCollector()

    final class LogCollector: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        func append(_ data: Data) { lock.withLock { text += String(decoding: data, as: UTF8.self) } }
        var contents: String { lock.withLock { text } }
    }

    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    let unixSocket: String?

    init(runner: CommandRunner, extraArguments: [String] = [], unixSocket: String? = nil) throws {
        self.unixSocket = unixSocket
        process.executableURL = CommandRunner.binary
        process.arguments = ["run", "--bind", "127.0.0.1:0", "--db", runner.database] + extraArguments
            + (unixSocket.map { ["--unix-socket", $0] } ?? [])
        process.environment = runner.processEnvironment()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        let log = self.log
        errors.fileHandleForReading.readabilityHandler = { handle in log.append(handle.availableData) }
        try process.run()

        let deadline = Date().addingTimeInterval(20)
        var found: Int?
        while found == nil && Date() < deadline && process.isRunning {
            found = Self.listeningPort(in: log.contents)
            if found != nil, unixSocket != nil, !log.contents.contains("listening on unix:") { found = nil }
            if found == nil { Thread.sleep(forTimeInterval: 0.02) }
        }
        guard let found else {
            process.terminate()
            throw StartFailure(description: "the daemon did not start listening: \(log.contents)")
        }
        port = found
    }

    static func listeningPort(in log: String) -> Int? {
        guard let range = log.range(of: "listening on http://127.0.0.1:") ?? log.range(of: "listening on https://127.0.0.1:") else { return nil }
        return Int(log[range.upperBound...].prefix { $0.isNumber })
    }

    var logText: String { log.contents }

    var tcp: HTTPClient { HTTPClient(endpoint: .tcp(port: port)) }
    var unix: HTTPClient? { unixSocket.map { HTTPClient(endpoint: .unix(path: $0)) } }

    /// A GET on loopback; returns the status and the body.
    func get(_ path: String) async throws -> (status: Int, body: Data, contentType: String?) {
        let url = URL(string: "http://127.0.0.1:\(port)\(path)")!
        let (data, response) = try await URLSession.shared.data(from: url)
        let http = response as! HTTPURLResponse
        return (http.statusCode, data, http.value(forHTTPHeaderField: "Content-Type"))
    }

    /// False once the daemon has exited, by itself or stopped.
    var isRunning: Bool { process.isRunning }

    /// Whether the log shows a crash under way (the Swift runtime's backtracer takes seconds before the
    /// process ends) or done.
    var isCrashing: Bool {
        let text = log.contents
        return text.contains("*** Signal ") || text.contains("*** Program crashed") || text.contains("Fatal error:")
            || text.contains("Swift runtime failure")
    }

    /// How the process ended, for reports: "exit 0", "signal 6 (SIGABRT)"; "running" while it runs.
    var ending: String {
        guard !process.isRunning else { return "running" }
        let status = process.terminationStatus
        guard process.terminationReason == .uncaughtSignal else { return "exit \(status)" }
        let names: [Int32: String] = [SIGILL: "SIGILL", SIGTRAP: "SIGTRAP", SIGABRT: "SIGABRT", SIGBUS: "SIGBUS",
                                      SIGFPE: "SIGFPE", SIGKILL: "SIGKILL", SIGSEGV: "SIGSEGV", SIGTERM: "SIGTERM"]
        return "signal \(status) (\(names[status] ?? "?"))"
    }

    /// Waits up to `seconds` for the process to end by itself; true if it has.
    func awaitExit(within seconds: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        return !process.isRunning
    }

    /// `kill -9`: the process gets no chance to clean up. Waits until it is gone.
    func killNine() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        errors.fileHandleForReading.readabilityHandler = nil
    }

    /// Sends SIGTERM and waits for the exit (SIGKILL after 20 s); returns the exit status.
    func stop() -> Int32 {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            if !awaitExit(within: 20) { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        errors.fileHandleForReading.readabilityHandler = nil
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            process.terminate()
            if !awaitExit(within: 5) { kill(process.processIdentifier, SIGKILL) }
        }
    }
}
