import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The package's files, laid out under a temporary root by `scripts/stage-layout.sh` (what `make deb`
/// packs), started as systemd would start them: the unit's `ExecStart=`, `Environment=` and
/// `EnvironmentFile=`, the directories of its tmpfiles.d entry, `StateDirectory=` and `RuntimeDirectory=`,
/// and the steps of the postinst (a SECRET_KEY, `db upgrade`). Paths under /etc, /var/lib, /run and
/// /usr/bin are taken under the root; the TCP port is a free one.
@Suite(.serialized) struct InstalledLayoutTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A systemd unit file's `Key=value` lines, in order.
    struct UnitFile {
        let entries: [(key: String, value: String)]

        init(path: String) throws {
            entries = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { line in
                guard !line.hasPrefix("#"), !line.hasPrefix("["), let equals = line.firstIndex(of: "=") else { return nil }
                return (String(line[..<equals]), String(line[line.index(after: equals)...]))
            }
        }

        func values(_ key: String) -> [String] { entries.filter { $0.key == key }.map(\.value) }
    }

    final class Layout {
        let root: URL

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("fm-installed-\(UUID().uuidString)")
            let stage = Process()
            stage.executableURL = URL(fileURLWithPath: "/bin/bash")
            stage.arguments = [Self.script, CommandRunner.binary.path, root.path]
            try stage.run()
            stage.waitUntilExit()
            try #require(stage.terminationStatus == 0, "scripts/stage-layout.sh failed")
        }

        deinit { try? FileManager.default.removeItem(at: root) }

        static var script: String { InstalledLayoutTests.repository.appendingPathComponent("scripts/stage-layout.sh").path }

        /// An absolute path of the installed system, under the root.
        func map(_ text: String) -> String {
            var mapped = text
            for prefix in ["/var/lib/flexmeasures", "/run/flexmeasures", "/etc/flexmeasures", "/usr/bin/flexmeasures"] {
                mapped = mapped.replacingOccurrences(of: prefix, with: root.path + prefix)
            }
            return mapped
        }

        func path(_ installed: String) -> String { root.path + installed }
    }

    @Test func theDaemonStartsFromThePackagedFilesAsTheUnitSays() throws {
        let layout = try Layout()
        let unit = try UnitFile(path: layout.path("/lib/systemd/system/flexmeasures.service"))
        #expect(unit.values("Type") == ["notify"])

        // What systemd-tmpfiles, StateDirectory= and RuntimeDirectory= make.
        let tmpfiles = try String(contentsOfFile: layout.path("/usr/lib/tmpfiles.d/flexmeasures.conf"), encoding: .utf8)
        for line in tmpfiles.split(separator: "\n") where line.hasPrefix("d ") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            try FileManager.default.createDirectory(atPath: layout.path(String(fields[1])), withIntermediateDirectories: true)
        }
        for name in unit.values("StateDirectory") { try FileManager.default.createDirectory(atPath: layout.path("/var/lib/\(name)"), withIntermediateDirectories: true) }
        for name in unit.values("RuntimeDirectory") { try FileManager.default.createDirectory(atPath: layout.path("/run/\(name)"), withIntermediateDirectories: true) }

        // The postinst: a random SECRET_KEY in the environment file, then the migrations.
        let environmentFile = try #require(unit.values("EnvironmentFile").first.map { layout.map(String($0.drop { $0 == "-" })) })
        let template = try String(contentsOfFile: environmentFile, encoding: .utf8)
        #expect(template.contains("\nSECRET_KEY=\n"), "the package ships an empty key for the postinst to fill")
        try template.replacingOccurrences(of: "\nSECRET_KEY=\n", with: "\nSECRET_KEY=\(UUID().uuidString)\(UUID().uuidString)\n")
            .write(toFile: environmentFile, atomically: true, encoding: .utf8)
        let execStart = try #require(unit.values("ExecStart").first).split(separator: " ").map { layout.map(String($0)) }
        let database = try #require(execStart.firstIndex(of: "--db").map { execStart[$0 + 1] })

        var environment = ["PATH": "/usr/bin:/bin", "HOME": layout.path("/var/lib/flexmeasures"),
                           "FLEXMEASURES_CONFIG": layout.path("/etc/flexmeasures/flexmeasures.toml")]
        for line in try String(contentsOfFile: environmentFile, encoding: .utf8).split(separator: "\n")
        where !line.hasPrefix("#") && line.contains("=") {
            let parts = line.split(separator: "=", maxSplits: 1)
            environment[String(parts[0])] = parts.count > 1 ? layout.map(String(parts[1])) : ""
        }
        for assignment in unit.values("Environment") {
            let parts = assignment.split(separator: "=", maxSplits: 1)
            environment[String(parts[0])] = layout.map(String(parts[1]))
        }
        let binary = layout.path("/usr/bin/flexmeasures")
        let upgrade = try run(binary, ["db", "upgrade", "--db", database], environment: environment)
        #expect(upgrade.status == 0, "\(upgrade.output)")
        var cheapHashes = environment
        cheapHashes["FLEXMEASURES_BCRYPT_COST"] = "4"
        let user = try run(binary, ["add", "user", "--username", "gateway", "--email", "gateway@site.example",
                                    "--roles", "Prosumer,MDC", "--password", "gateway-password", "--db", database], environment: cheapHashes)
        #expect(user.status == 0, "\(user.output)")

        // ExecStart as written, on a free port, with systemd's notify socket.
        let notify = try SystemdNotifyTests.NotifySocket(path: layout.path("/run/notify.sock"))
        environment["NOTIFY_SOCKET"] = notify.path
        let arguments = execStart.dropFirst().map { $0 == "127.0.0.1:5000" ? "127.0.0.1:0" : $0 }
        #expect(execStart.first == binary)
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: binary)
        daemon.arguments = arguments
        daemon.environment = environment
        let log = layout.path("/daemon.log")
        FileManager.default.createFile(atPath: log, contents: nil)
        daemon.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try daemon.run()
        defer { if daemon.isRunning { daemon.terminate() } }
        let ready = notify.collect(for: 20) { $0.contains { $0.hasPrefix("READY=1") } }
        let logText = { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }
        try #require(ready.contains { $0.hasPrefix("READY=1") }, "\(logText())")
        #expect(!logText().contains("SECRET_KEY is not set"), "the key of the environment file is used")

        let socketPath = try #require(execStart.firstIndex(of: "--unix-socket").map { execStart[$0 + 1] })
        let mode = try FileManager.default.attributesOfItem(atPath: socketPath)[.posixPermissions] as? Int
        #expect(mode == 0o660)
        let gateway = HTTPClient(endpoint: .unix(path: socketPath))
        let login = try gateway.send("POST", "/api/requestAuthToken", json: ["email": "gateway@site.example", "password": "gateway-password"])
        #expect(login.status == 200, "\(login.text)")
        let health = try gateway.send("GET", "/api/health")
        #expect(health.status == 200, "\(health.text)")
        let port = try #require(RunningDaemon.listeningPort(in: logText()), "\(logText())")
        #expect(try HTTPClient(endpoint: .tcp(port: port)).send("GET", "/api/").status == 200)

        // An extra worker as its unit starts it, beside the daemon, stopped by SIGTERM.
        let workerUnit = try UnitFile(path: layout.path("/lib/systemd/system/flexmeasures-worker@.service"))
        let workerStart = try #require(workerUnit.values("ExecStart").first).replacingOccurrences(of: "%i", with: "forecasting")
            .split(separator: " ").map { layout.map(String($0)) }
        let worker = Process()
        worker.executableURL = URL(fileURLWithPath: workerStart[0])
        worker.arguments = Array(workerStart.dropFirst())
        worker.environment = environment.filter { $0.key != "NOTIFY_SOCKET" }
        worker.standardError = FileHandle.nullDevice
        try worker.run()
        Thread.sleep(forTimeInterval: 0.5)
        #expect(worker.isRunning, "the worker unit's command line starts a worker")
        kill(worker.processIdentifier, SIGTERM)
        worker.waitUntilExit()
        #expect(worker.terminationStatus == 0)

        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0, "\(logText())")
        #expect(notify.collect(for: 3) { $0.contains("STOPPING=1") }.contains("STOPPING=1"))
    }

    func run(_ binary: String, _ arguments: [String], environment: [String: String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
