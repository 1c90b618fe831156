import Foundation
import Site
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Every command line that the reference's documentation quotes (/work/shared/reference/flexmeasures-0.2.4-docs.txt,
/// `../shared/reference/` from the repository), run as written against a temporary database, which comes from
/// FLEXMEASURES_DB since the lines carry no `--db`. The database is set up as the getting started leaves it:
/// `add structure` and a user 1 with the roles admin and Prosumer.
///
/// "Understood" means the argument parser took the line (no "Unknown option", "Unexpected argument" nor exit
/// code 64); each line also pins what it does. Lines wrapped in the PDF (continued on a line starting with ↪)
/// are quoted joined, as `referenceLines()` reads them.
@Suite struct ReferenceCommandsTests {
    enum Outcome: Sendable {
        /// Exits 0 and prints this on stdout.
        case succeeds(String)
        /// Exits with a code other than 0 and says this on stderr.
        case refuses(String)
        /// `--help` appended: the CLI reference's table names commands without their options and sends the
        /// reader to `--help`.
        case explainsItself
        /// A service: started, it logs this on stderr, then SIGTERM stops it with exit code 0.
        case servesUntilStopped(String)
    }

    struct Line: Sendable, CustomTestStringConvertible {
        let quoted: String
        /// Where the reference quotes it (its section numbers).
        let sections: String
        let outcome: Outcome
        /// The words run, when they are not the quoted line's (a PDF artifact).
        var words: [String]?

        var testDescription: String { quoted }
    }

    static let lines: [Line] = [
        // 1 Getting started. Commands that ask (add user: a password) run with stdin closed.
        Line(quoted: "flexmeasures db upgrade", sections: "1.1.4, 25.1.6, 25.3.1-25.3.4",
             outcome: .succeeds("is up to date")),
        Line(quoted: "flexmeasures add user --username <your-username> --email <your-email-address> --roles=admin",
             sections: "1.1.5", outcome: .refuses("no password given")),
        Line(quoted: "flexmeasures add structure", sections: "1.1.6, 25.1.6", outcome: .succeeds("nothing added")),
        Line(quoted: """
            flexmeasures add weather-sensor --name "my rooftop thermometer" --weather-sensor-type-name temperature \
            --unit °C --event-resolution 15 --latitude 33 --longitude 2.4
            """, sections: "1.1.7", outcome: .succeeds("Added weather sensor my rooftop thermometer.")),
        Line(quoted: """
            flexmeasures add asset --name "my basement battery pack" --asset-type-name battery --capacity-in-MW 30 \
            --event-resolution 2 --latitude 65 --longitude 123.76 --owner-id 1
            """, sections: "1.1.8", outcome: .succeeds("Added asset my basement battery pack")),
        // `flexmeasures run` listens on FLEXMEASURES_BIND, a free port here.
        Line(quoted: "flexmeasures run", sections: "1.1.9, 24.1.5", outcome: .servesUntilStopped("listening on http://127.0.0.1:")),
        // The PDF breaks `--asset-type Asset` as `--asset-type-` ↪ `Asset`.
        Line(quoted: "flexmeasures add forecasts --from-date 2020-03-08 --to-date 2020-04-08 --asset-type-Asset --asset my-solar-panel",
             sections: "1.1.10", outcome: .refuses("no Asset named or numbered 'my-solar-panel'"),
             words: ["add", "forecasts", "--from-date", "2020-03-08", "--to-date", "2020-04-08", "--asset-type", "Asset",
                     "--asset", "my-solar-panel"]),
        Line(quoted: "flexmeasures add external-weather-forecasts --location 33.4366,126.5269 --store-in-db", sections: "1.2.3",
             outcome: .refuses("DarkSky")),
        Line(quoted: "flexmeasures run-worker --queue forecasting", sections: "1.2.4",
             outcome: .servesUntilStopped("on the forecasting queue")),
        Line(quoted: "flexmeasures run-worker --queue scheduling", sections: "1.2.4",
             outcome: .servesUntilStopped("on the scheduling queue")),
        Line(quoted: "flexmeasures clear-queue --queue forecasting", sections: "1.2.4",
             outcome: .succeeds("Removed 0 queued job(s) from the forecasting queue.")),
        Line(quoted: "flexmeasures clear-queue --queue scheduling", sections: "1.2.4",
             outcome: .succeeds("Removed 0 queued job(s) from the scheduling queue.")),

        // 22 CLI Commands: the command itself, then its table of commands (run with --help).
        Line(quoted: "flexmeasures --help", sections: "22", outcome: .succeeds("SUBCOMMANDS:")),
        Line(quoted: "flexmeasures add structure", sections: "22.1", outcome: .explainsItself),
        Line(quoted: "flexmeasures add user", sections: "22.1", outcome: .explainsItself),
        Line(quoted: "flexmeasures add asset", sections: "22.1", outcome: .explainsItself),
        Line(quoted: "flexmeasures add weather-sensor", sections: "22.1", outcome: .explainsItself),
        Line(quoted: "flexmeasures add external-weather-forecasts", sections: "22.1", outcome: .explainsItself),
        Line(quoted: "flexmeasures add forecasts", sections: "22.1", outcome: .explainsItself),
        Line(quoted: "flexmeasures delete structure", sections: "22.2", outcome: .explainsItself),
        Line(quoted: "flexmeasures delete user", sections: "22.2", outcome: .explainsItself),
        Line(quoted: "flexmeasures delete measurements", sections: "22.2", outcome: .explainsItself),
        Line(quoted: "flexmeasures delete prognoses", sections: "22.2", outcome: .explainsItself),
        Line(quoted: "flexmeasures jobs run-worker", sections: "22.3", outcome: .explainsItself),
        Line(quoted: "flexmeasures jobs clear-queue", sections: "22.3", outcome: .explainsItself),
        Line(quoted: "flexmeasures db-ops dump", sections: "22.4", outcome: .explainsItself),
        Line(quoted: "flexmeasures db-ops load", sections: "22.4", outcome: .explainsItself),
        Line(quoted: "flexmeasures db-ops reset", sections: "22.4", outcome: .explainsItself),
        Line(quoted: "flexmeasures db-ops restore", sections: "22.4", outcome: .explainsItself),
        Line(quoted: "flexmeasures db-ops save", sections: "22.4", outcome: .explainsItself),

        // 24 Developing for FlexMeasures: `flexmeasures run` (above). 25 Handling data, as written; the ones that
        // ask for confirmation run with stdin closed and are not confirmed.
        Line(quoted: "flexmeasures db-ops dump", sections: "25.1.6", outcome: .refuses("Missing expected argument '<file>'")),
        Line(quoted: "flexmeasures db-ops reset", sections: "25.1.6", outcome: .refuses("not confirmed; nothing was erased")),
        Line(quoted: "flexmeasures add user --help", sections: "25.1.6", outcome: .succeeds("USAGE: flexmeasures add user")),
        Line(quoted: "flexmeasures add forecasts", sections: "25.1.6", outcome: .refuses("Missing expected argument '--from-date")),
        Line(quoted: "flexmeasures delete structure", sections: "25.1.6", outcome: .refuses("not confirmed; nothing was deleted")),
        Line(quoted: "flexmeasures delete measurements", sections: "25.1.6", outcome: .refuses("not confirmed; nothing was deleted")),
        Line(quoted: "flexmeasures delete forecasts", sections: "25.1.6", outcome: .refuses("not confirmed; nothing was deleted")),
        Line(quoted: "flexmeasures db init", sections: "25.3.1", outcome: .refuses("ships its migrations")),
        Line(quoted: "flexmeasures db migrate", sections: "25.3.1", outcome: .refuses("ships its migrations")),
        Line(quoted: "flexmeasures db migrate --message \"Please explain what you did, it helps for later\"", sections: "25.3.2",
             outcome: .refuses("ships its migrations")),
        Line(quoted: "flexmeasures db current", sections: "25.3.4", outcome: .succeeds(SiteSchema.migrations.last!.identifier)),
        Line(quoted: "flexmeasures db history", sections: "25.3.4", outcome: .succeeds("current  " + String(SiteSchema.migrations.last!.summary.prefix(30)))),
        Line(quoted: "flexmeasures db downgrade", sections: "25.3.4", outcome: .succeeds("Reverted " + SiteSchema.migrations.last!.identifier)),
        Line(quoted: "flexmeasures jobs run_worker --queue forecasting", sections: "25.5",
             outcome: .servesUntilStopped("on the forecasting queue")),
        // Not run: `flask db-ops restore <DATABASE DUMP FILENAME>` (25.1.6) is a flask command, not flexmeasures.
    ]

    static let referenceFile = InstalledLayoutTests.repository.deletingLastPathComponent()
        .appendingPathComponent("shared/reference/flexmeasures-0.2.4-docs.txt")

    /// The command lines of the reference: code lines starting with `flexmeasures ` (or `$ flexmeasures `) and
    /// the `<code>flexmeasures ...</code>` cells of its CLI table, with the lines the PDF wrapped joined.
    static func referenceLines(_ text: String) -> [String] {
        let lines = text.components(separatedBy: "\n")
        var found: [String] = []
        for (index, line) in lines.enumerated() {
            var command: String
            if let cell = line.range(of: "<code>flexmeasures "), let end = line.range(of: "</code>") {
                command = String(line[cell.lowerBound..<end.lowerBound].dropFirst("<code>".count))
            } else if line.hasPrefix("flexmeasures ") || line.hasPrefix("$ flexmeasures ") {
                command = line.hasPrefix("$ ") ? String(line.dropFirst(2)) : line
                var next = index + 1
                while next < lines.count, lines[next].hasPrefix("↪") {
                    command = command.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
                        + lines[next].dropFirst()
                    next += 1
                }
            } else {
                continue
            }
            found.append(command.trimmingCharacters(in: .whitespaces))
        }
        return found
    }

    /// A command line's words, as a shell splits them (double quotes only: the reference uses no others).
    static func words(of line: String) -> [String] {
        var words: [String] = []
        var word = ""
        var quoted = false
        var started = false
        for character in line {
            if character == "\"" {
                quoted.toggle()
                started = true
            } else if character == " " && !quoted {
                if started { words.append(word) }
                word = ""
                started = false
            } else {
                word.append(character)
                started = true
            }
        }
        if started { words.append(word) }
        return words
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: referenceFile.path), "the reference is in ../shared"))
    func theListHoldsEveryCommandLineOfTheReference() throws {
        let text = try String(contentsOf: Self.referenceFile, encoding: .utf8)
        let quoted = Self.referenceLines(text)
        #expect(quoted.count > 40)
        #expect(Set(quoted) == Set(Self.lines.map(\.quoted)))
    }

    @Test(arguments: lines)
    func theReferencesCommandLineIsUnderstood(line: Line) throws {
        let file = try TemporaryDatabase()
        var cli = CommandRunner(database: file.path, environment: [
            "FLEXMEASURES_DB": file.path, "FLEXMEASURES_BIND": "127.0.0.1:0",
        ])
        try #require(cli.run(["add", "structure"]).exitCode == 0)
        try #require(cli.run(["add", "user", "--username", "me", "--email", "me@example.com", "--roles", "admin,Prosumer",
                              "--password", "correct horse"]).exitCode == 0)
        cli.environment["HOME"] = file.directory.path

        var words = line.words ?? Array(Self.words(of: line.quoted).dropFirst())
        if case .explainsItself = line.outcome { words.append("--help") }
        let result: CommandRunner.Result
        if case let .servesUntilStopped(sign) = line.outcome {
            result = try Self.runUntilStopped(cli, words, sign: sign)
        } else {
            result = try cli.run(words, withDatabase: false)
        }

        #expect(result.exitCode != 64)
        for complaint in ["Unknown option", "Unexpected argument"] {
            #expect(!result.stderr.contains(complaint), "\(result.stderr)")
        }
        switch line.outcome {
        case let .succeeds(text):
            #expect(result.exitCode == 0, "\(result.stderr)")
            #expect(result.stdout.contains(text), "\(result.stdout)")
        case let .refuses(text):
            #expect(result.exitCode != 0)
            #expect(result.stderr.contains(text), "\(result.stderr)")
        case .explainsItself:
            #expect(result.exitCode == 0, "\(result.stderr)")
            #expect(result.stdout.contains("USAGE: flexmeasures \(words.dropLast().joined(separator: " "))"), "\(result.stdout)")
        case let .servesUntilStopped(sign):
            #expect(result.exitCode == 0, "\(result.stderr)")
            #expect(result.stderr.contains(sign), "\(result.stderr)")
        }
    }

    /// Starts `flexmeasures WORDS`, waits (up to 20 s) until it logs `sign`, then stops it with SIGTERM.
    static func runUntilStopped(_ cli: CommandRunner, _ words: [String], sign: String) throws -> CommandRunner.Result {
        let process = Process()
        process.executableURL = CommandRunner.binary
        process.arguments = words
        process.environment = cli.processEnvironment()
        let errors = Pipe()
        let log = RunningDaemon.LogCollector()
        errors.fileHandleForReading.readabilityHandler = { handle in log.append(handle.availableData) }
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while !log.contents.contains(sign) && process.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        errors.fileHandleForReading.readabilityHandler = nil
        return CommandRunner.Result(exitCode: process.terminationStatus, stdout: "", stderr: log.contents)
    }
}
