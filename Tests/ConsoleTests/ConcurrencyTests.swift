import Beliefs
import Foundation
import Jobs
import Registry
import Site
import Testing

/// Many signed-in requests at once must all be answered: a page that read the database asynchronously
/// (GRDB holds a reader across the await) while others waited for a reader on the cooperative threads froze
/// the whole daemon (an outside recheck's 12 parallel requests to a control page did).
@Suite(.timeLimit(.minutes(1))) struct ConcurrencyTests {
    @Test func fortyRequestsAtOnceAreAllAnswered() async throws {
        let console = try InProcessConsole()
        let battery = try console.id(ofAsset: "battery")
        for _ in 0..<5 {
            _ = try await console.site.jobs.enqueue(queue: .scheduling, kind: "test", payload: "{}", timeToLive: .days(1))
        }
        let prosumer = try await console.signedIn("prosumer")
        let admin = try await console.signedIn("admin")
        let paths = ["/control/\(battery)", "/control/\(battery)/chart/data", "/assets/\(battery)/chart/data", "/alerts", "/dashboard"]
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<40 {
                group.addTask {
                    if index % 5 == 4 { return try await admin.get("/tasks").status }
                    return try await prosumer.get(paths[index % paths.count]).status
                }
            }
            var statuses: [Int] = []
            for try await status in group { statuses.append(status) }
            return statuses
        }
        #expect(statuses.count == 40)
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
    }
}

@Suite struct AsyncReadTests {
    /// GRDB's async `read` keeps a reader across an await: mixed with the daemon's blocking point reads on the
    /// cooperative threads it froze every request (see `ConcurrencyTests`). Reads go through
    /// `SiteDatabase.read` (or a sync `pool.read`), never `await ... pool.read`.
    @Test func noSourceReadsThePoolAsynchronously() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        #expect(files.count > 100)
        var offending: [String] = []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.contains("await") && line.contains("pool.read") {
                offending.append("\(file):\(number + 1)")
            }
        }
        #expect(offending.isEmpty, "async reads of the pool: \(offending)")
    }
}
