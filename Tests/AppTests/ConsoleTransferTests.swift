import Foundation
import Testing
import TestSupport

/// What a first visit with an empty cache costs in static files (issue 13: at most 1 MB with the pages): every
/// file the console serves, fetched from the running daemon as a browser would (gzip accepted), bytes on the wire.
@Suite struct ConsoleTransferTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/Console/Static/Files")

    @Test func everyStaticFileTogetherGzippedStaysUnderAMegabyte() throws {
        let served = Set(["css", "js", "svg", "png", "ico", "txt"])
        let names = try FileManager.default.subpathsOfDirectory(atPath: Self.folder.path)
            .filter { served.contains(URL(fileURLWithPath: $0).pathExtension) }.sorted()
        #expect(names.contains("vendor/vega-bundle.js") && names.contains("console.js"))
        let file = try TemporaryDatabase()
        let daemon = try RunningDaemon(runner: CommandRunner(database: file.path))
        defer { _ = daemon.stop() }

        var total = 0
        var report = ["console static files, bytes on the wire with gzip (plain size):"]
        for name in names {
            let reply = try daemon.tcp.send("GET", "/static/\(name)", headers: ["Accept-Encoding": "gzip, deflate, br"])
            #expect(reply.status == 200, "\(name)")
            #expect(reply.headers["content-encoding"] == "gzip", "\(name)")
            let plain = try Data(contentsOf: Self.folder.appendingPathComponent(name)).count
            total += reply.body.count
            report.append("  \(name): \(reply.body.count) (\(plain))")
        }
        report.append("  total: \(total) bytes")
        print(report.joined(separator: "\n"))
        #expect(total <= 1_000_000, "\(report.joined(separator: "\n"))")
        // A page's HTML comes on top of these; the bundle leaves room for it.
        #expect(total <= 400_000, "\(report.joined(separator: "\n"))")
    }
}
