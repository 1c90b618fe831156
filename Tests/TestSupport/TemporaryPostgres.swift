import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real PostgreSQL server on 127.0.0.1 for one test, the central database of the fleet uplink: its own
/// cluster in a fresh temporary folder, on a free port, with a random password that it really asks for
/// (scram-sha-256). scripts/postgres-test-server.sh makes and runs it, as the user `postgres` when the tests
/// run as root; `scripts/install-deps.sh` installs Debian's postgresql for it. Stopped and removed when
/// dropped; should the test process be killed first, the script's watcher does that instead.
public final class TemporaryPostgres: Sendable {
    public let port: Int
    /// Letters and digits: nothing to escape in `url`, nothing to quote anywhere else.
    public let password: String
    public let user = "fleet"
    public let database = "fleet"
    /// The cluster (`data`), its log (`log`) and its Unix socket.
    public let directory: URL
    private let psqlPath: String

    public var url: String { "postgres://\(user):\(password)@127.0.0.1:\(port)/\(database)" }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/postgres-test-server.sh")

    private init(directory: URL, port: Int, password: String, psqlPath: String) {
        self.directory = directory
        self.port = port
        self.password = password
        self.psqlPath = psqlPath
    }

    /// About a second, most of it initdb.
    public static func start() throws -> TemporaryPostgres {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("fleet-pg-\(UUID().uuidString.prefix(13))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        let password = String((0..<24).map { _ in passwordCharacters.randomElement()! })
        // The free port found is free only until the server binds it: another test may take it in between.
        var attempt = 0
        while true {
            attempt += 1
            let port: Int
            do {
                port = try freeLoopbackPort()
                try runScript(["start", directory.path, String(port), password])
            } catch let failure as TemporaryPostgresFailure
                where attempt < 5 && failure.description.contains("Address already in use") {
                continue
            } catch {
                _ = try? runScript(["stop", directory.path, "immediate"])
                try? FileManager.default.removeItem(at: directory)
                throw error
            }
            let bindir = (try? runScript(["bindir"])) ?? ""
            let bundled = URL(fileURLWithPath: bindir).appendingPathComponent("psql").path
            let psqlPath = !bindir.isEmpty && FileManager.default.isExecutableFile(atPath: bundled) ? bundled : "/usr/bin/psql"
            return TemporaryPostgres(directory: directory, port: port, password: password, psqlPath: psqlPath)
        }
    }

    /// `mode` is fast, immediate (as if the server crashed: it recovers from its WAL at the next start) or smart.
    public func stop(mode: String = "fast") throws {
        try Self.runScript(["stop", directory.path, mode])
    }

    /// The same cluster on the same port, after `stop`; should another process have taken the port meanwhile,
    /// it throws.
    public func startAgain() throws {
        try Self.runScript(["start", directory.path, String(port), password])
    }

    /// Runs `sql` as `fleet` in `fleet` over TCP and returns its rows unaligned, one a line, `|` between
    /// columns; the first failing statement throws.
    @discardableResult
    public func psql(_ sql: String) throws -> String {
        let finished = try Self.run(
            psqlPath,
            ["-h", "127.0.0.1", "-p", String(port), "-U", user, "-d", database, "-X", "-A", "-t", "-w",
             "-v", "ON_ERROR_STOP=1", "-c", sql],
            environment: ["PGPASSWORD": password, "PGCONNECT_TIMEOUT": "10"]
        )
        guard finished.status == 0 else {
            throw TemporaryPostgresFailure(description: "psql failed (exit \(finished.status)) on \(sql.prefix(200)): \(finished.errors)")
        }
        return finished.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops the server at once and removes its folder; dropping the value does the same.
    public func destroy() {
        guard FileManager.default.fileExists(atPath: directory.path) else { return }
        _ = try? Self.runScript(["stop", directory.path, "immediate"])
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { destroy() }

    private static let passwordCharacters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    /// A port that the kernel just gave out on 127.0.0.1 and took back.
    static func freeLoopbackPort() throws -> Int {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw TemporaryPostgresFailure(description: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw TemporaryPostgresFailure(description: "bind(127.0.0.1:0) failed: errno \(errno)") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw TemporaryPostgresFailure(description: "getsockname failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The script's output; its error output (with the server's last log lines) in the error.
    @discardableResult
    private static func runScript(_ arguments: [String]) throws -> String {
        // The script's watcher stops the server once this process is gone, if no one else did.
        let finished = try run(
            "/bin/bash", [script.path] + arguments,
            environment: ["POSTGRES_TEST_SERVER_OWNER_PID": String(getpid())]
        )
        guard finished.status == 0 else {
            throw TemporaryPostgresFailure(
                description: "postgres-test-server.sh \(arguments.prefix(2).joined(separator: " ")) failed (exit \(finished.status)):\n"
                    + finished.errors + finished.output
            )
        }
        return finished.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private struct Finished {
        let status: Int32
        let output: String
        let errors: String
    }

    /// Runs a program to its end, killed after `timeout` seconds so that a hung server fails the test instead
    /// of hanging it. PG variables of the test's environment would point the programs elsewhere.
    private static func run(
        _ executable: String, _ arguments: [String], environment: [String: String], timeout: TimeInterval = 180
    ) throws -> Finished {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        // Both pipes at once: a full one would block the program while the other is read.
        let errorBytes = CollectedBytes()
        let reading = DispatchGroup()
        DispatchQueue.global().async(group: reading) {
            errorBytes.data = errors.fileHandleForReading.readDataToEndOfFile()
        }
        let outputBytes = output.fileHandleForReading.readDataToEndOfFile()
        reading.wait()
        process.waitUntilExit()
        watchdog.cancel()
        return Finished(
            status: process.terminationStatus,
            output: String(decoding: outputBytes, as: UTF8.self),
            errors: String(decoding: errorBytes.data, as: UTF8.self)
        )
    }

    /// Written by one reading thread, read only after `DispatchGroup.wait` on it.
    private final class CollectedBytes: @unchecked Sendable {
        var data = Data()
    }
}

public struct TemporaryPostgresFailure: Error, CustomStringConvertible {
    public let description: String
}
