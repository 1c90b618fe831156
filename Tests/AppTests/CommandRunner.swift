import Foundation

/// Runs the real `flexmeasures` binary, built beside the test bundle, as a user would.
struct CommandRunner {
    struct Result {
        let exitCode: Int32
        let stdout: String
        let stderr: String
    }

    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["FLEXMEASURES_BINARY"] {
            return URL(fileURLWithPath: path)
        }
        // The test bundle sits in the build folder next to the executable products.
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("flexmeasures").path),
              directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("flexmeasures")
    }

    let database: String
    var environment: [String: String] = [:]

    init(database: String, environment: [String: String] = [:]) {
        self.database = database
        self.environment = environment
    }

    /// The environment a command sees: cheap bcrypt for speed, nothing inherited that could point elsewhere.
    func processEnvironment() -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["FLEXMEASURES_DB"] = nil
        env["FLEXMEASURES_BIND"] = nil
        env["FLEXMEASURES_BCRYPT_COST"] = "4"
        env["FLEXMEASURES_ENV"] = "development"
        env["FLEXMEASURES_CONFIG"] = nil
        env["HOME"] = database + ".home"
        for (key, value) in environment { env[key] = value }
        return env
    }

    /// Starts `flexmeasures ARGS --db DATABASE` without waiting (output discarded): for tests that kill it.
    func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments + ["--db", database]
        process.environment = processEnvironment()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs `flexmeasures ARGS --db DATABASE` (unless `withDatabase` is false) and waits for it, at most
    /// `timeout` seconds: then it is killed (exit code 9 by signal) so that a hanging command fails the test.
    @discardableResult
    func run(_ arguments: [String], stdin: String? = nil, withDatabase: Bool = true, timeout: TimeInterval = 300) throws -> Result {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments + (withDatabase ? ["--db", database] : [])
        process.environment = processEnvironment()
        let output = Pipe()
        let errors = Pipe()
        let input = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input
        try process.run()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return Result(
            exitCode: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }
}

extension CommandRunner.Result {
    /// The id an `add` command printed as `ID: <n>`.
    var printedID: Int64? {
        stdout.split(separator: "\n").compactMap { line -> Int64? in
            line.hasPrefix("ID: ") ? Int64(line.dropFirst(4)) : nil
        }.last
    }
}
