import API
import BeliefStore
import Beliefs
import Foundation
import GRDB
import Testing
import TestSupport
import SiteDatabase
import Site

/// `kill -9` of the daemon (and of `db-ops dump`) at random moments of real work, then a restart on the
/// same file: every acknowledged belief is there, the file is sound, interrupted jobs end, and an
/// interrupted dump leaves nothing half-written under its name.
///
/// `FLEXMEASURES_KILL_CYCLES` (default 3) scales the loops, `FLEXMEASURES_KILL_SEED` repeats one;
/// `scripts/kill-loop.sh` runs 100 cycles.
@Suite(.serialized) struct KillLoopTests {
    static let environment = ProcessInfo.processInfo.environment
    static let cycles = environment["FLEXMEASURES_KILL_CYCLES"].flatMap { Int($0) } ?? 3
    static let seed = environment["FLEXMEASURES_KILL_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64(UInt32.max))
    static let clients = 4
    static let dataStart = Instant(secondsSinceEpoch: 946_684_800)  // 2000-01-01T00:00:00Z
    static let slotsPerPost = 4

    @Test func everyAcknowledgedBeliefSurvivesKillNineUnderConcurrentPosts() throws {
        printNow("kill-loop seed: \(Self.seed) (FLEXMEASURES_KILL_SEED=\(Self.seed) repeats the kill times), \(Self.cycles) cycles")
        let site = try APISite(unixSocket: true)
        let token = try site.token("prosumer")
        let book = PostBook(port: site.daemon.port)
        let socket = site.unixSocketPath!
        let finished = DispatchGroup()
        for client in 0..<Self.clients {
            finished.enter()
            Thread.detachNewThread {
                defer { finished.leave() }
                Self.post(client: client, book: book, token: token, socket: socket)
            }
        }
        defer {
            book.stop()
            finished.wait()
        }

        var rng = SeededGenerator(seed: Self.seed)
        var restartFailures: [String] = []
        for cycle in 0..<Self.cycles {
            Thread.sleep(forTimeInterval: 0.1 + 0.5 * rng.uniform())
            #expect(site.daemon.isRunning, "cycle \(cycle): the daemon died before the kill: \(site.daemon.ending)")
            site.daemon.killNine()
            do {
                try site.restartDaemon()
                book.port = site.daemon.port
            } catch {
                restartFailures.append("cycle \(cycle): \(error)")
                break
            }
        }
        // Some work on the last daemon, then the clients stop.
        Thread.sleep(forTimeInterval: 0.3)
        book.stop()
        finished.wait()
        #expect(restartFailures.isEmpty, "\(restartFailures)")

        let acknowledged = book.acknowledged
        let lastSlot = (acknowledged.keys.max() ?? 0) + 1
        var stored: [Int: Double] = [:]
        let window = 2_880  // 30 days of quarter hours per getMeterData
        for first in stride(from: 0, to: lastSlot, by: window) {
            let reply = try site.get("/api/v2_0/getMeterData", as: "prosumer", query: [
                "type": "GetMeterDataRequest", "connection": "\(FuzzCorpus.owner):4",
                "start": (Self.dataStart + .minutes(Int64(first * 15))).iso8601, "duration": "PT\(window * 15)M", "unit": "MW",
            ])
            try #require(reply.status == 200, "\(reply.text.prefix(500))")
            for (offset, value) in ((reply.json?["values"] as? [Any]) ?? []).enumerated() {
                if let value = value as? Double { stored[first + offset] = value }
            }
        }
        let lost = acknowledged.filter { stored[$0.key] != $0.value }.sorted { $0.key < $1.key }
        #expect(site.daemon.stop() == 0, "the last daemon stops cleanly")
        let integrity = try Self.integrityCheck(site.file.path)
        printNow("kill-loop summary: cycles=\(Self.cycles) posts_acknowledged=\(acknowledged.count / Self.slotsPerPost) "
              + "beliefs_acknowledged=\(acknowledged.count) beliefs_lost=\(lost.count) unexpected_answers=\(book.unexpected.count) "
              + "integrity=\(integrity.joined(separator: ","))")
        #expect(acknowledged.count >= Self.cycles * Self.slotsPerPost, "the clients got posts through between kills")
        let lostLines = lost.prefix(20).map { slot, value -> String in
            let read = stored[slot].map { "\($0)" } ?? "nothing"
            return "slot \(slot): posted \(value), read \(read)"
        }
        #expect(lost.isEmpty, "acknowledged beliefs lost or changed: \(lostLines)")
        #expect(book.unexpected.isEmpty, "valid posts answered otherwise than 200: \(book.unexpected.prefix(10))")
        #expect(integrity == ["ok"])
    }

    /// One client: posts of four quarter hours at slots no other post uses, each value the slot number
    /// plus 0.25, alternating v1.3 (horizon) and v2.0 (time of arrival), over TCP or the socket.
    static func post(client: Int, book: PostBook, token: String, socket: String) {
        while !book.stopped {
            let sequence = book.nextSequence()
            let first = sequence * slotsPerPost
            let values = (first..<first + slotsPerPost).map { Double($0) + 0.25 }
            var message: [String: Any] = [
                "type": "PostMeterDataRequest", "connection": "\(FuzzCorpus.owner):4", "values": values,
                "start": (dataStart + .minutes(Int64(first * 15))).iso8601, "duration": "PT\(slotsPerPost * 15)M", "unit": "MW",
            ]
            let version = sequence % 2 == 0 ? "v1_3" : "v2_0"
            if version == "v1_3" { message["horizon"] = "-PT5M" }
            let endpoint: HTTPClient.Endpoint = client % 2 == 0 ? .tcp(port: book.port) : .unix(path: socket)
            do {
                let reply = try HTTPClient(endpoint: endpoint, timeout: 10).send("POST", "/api/\(version)/postMeterData", token: token, json: message)
                if reply.status == 200 {
                    book.acknowledge(first: first, values: values)
                } else {
                    book.unexpected(reply.status, reply.text)
                }
            } catch {
                // Killed in the middle, or not listening yet: this post is unacknowledged; the next one goes on.
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
    }

    static func integrityCheck(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    // MARK: A scheduling job

    @Test func aSchedulingJobKilledWhileItRunsFinishesOrFailsAfterTheRestart() throws {
        // A month of planning makes a job long enough to be caught running.
        let site = try APISite(environment: ["FLEXMEASURES_PLANNING_HORIZON": "P30D"])
        let start = FuzzCorpus.pricesStart
        let prices: [Double] = (0..<(31 * 24)).map { hour in Double(30 + (hour * 37) % 50) }
        let message: [String: Any] = [
            "type": "PostPriceDataRequest", "market": FuzzCorpus.market, "values": prices, "start": start.iso8601,
            "duration": "PT\(prices.count)H", "prior": (start - .hours(12)).iso8601, "unit": "EUR/MWh",
        ]
        let posted = try site.send("POST", "/api/v2_0/postPriceData", as: "prosumer", json: message)
        try #require(posted.status == 200, "\(posted.text)")

        var caught = false
        for attempt in 0..<10 where !caught {
            let event = "\(FuzzCorpus.owner):4:\(100 + attempt):soc-with-targets"
            let queued = try site.send("POST", "/api/v1_3/postUdiEvent", as: "prosumer", json: [
                "type": "PostUdiEventRequest", "event": event, "value": 1000, "unit": "kWh", "datetime": start.iso8601,
                "targets": [["value": 4000, "datetime": (start + .hours(20)).iso8601]],
            ])
            try #require(queued.status == 200, "\(queued.text)")
            // Ask as fast as the daemon answers until the job is in progress, then kill it.
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                let reply = try Self.deviceMessage(site, event: event)
                let message = reply.json?["message"] as? String ?? ""
                if message.contains("in progress") {
                    site.daemon.killNine()
                    caught = true
                    break
                }
                if !message.contains("waiting") { break }  // done (or failed) before it could be caught
            }
            guard caught else { continue }

            try site.restartDaemon()
            let restarted = site.daemon.process.processIdentifier
            let killedAt = Date()
            // The killed worker's lease (30 s) runs out, then the job is taken up again.
            let settled = Date().addingTimeInterval(60)
            var last: HTTPClient.Reply?
            while Date() < settled {
                #expect(site.daemon.isRunning, "the daemon died after the restart: \(site.daemon.ending) \(site.daemon.logText.suffix(800))")
                guard site.daemon.isRunning else { break }
                last = try? Self.deviceMessage(site, event: event)
                let message = last?.json?["message"] as? String ?? ""
                if last?.status == 200 || message.contains("Scheduling job failed") { break }
                Thread.sleep(forTimeInterval: 0.25)
            }
            let outcome = last?.status == 200 ? "finished" : (last?.json?["message"] as? String ?? "no answer")
            printNow("scheduling-kill summary: attempt=\(attempt + 1) outcome=\(outcome.replacingOccurrences(of: " ", with: "_")) "
                     + "settled_after_s=\(String(format: "%.1f", Date().timeIntervalSince(killedAt)))")
            #expect(last?.status == 200 || (last?.json?["message"] as? String ?? "").contains("Scheduling job failed"),
                    "the interrupted job neither finished nor failed within 60 s: \(last?.text ?? "no answer")")
            Thread.sleep(forTimeInterval: 2)
            #expect(site.daemon.isRunning && site.daemon.process.processIdentifier == restarted, "no crash loop after the job ended")
        }
        #expect(caught, "no scheduling job was caught running in 10 attempts")
        _ = site.daemon.stop()
        #expect(try Self.integrityCheck(site.file.path) == ["ok"])
    }

    static func deviceMessage(_ site: APISite, event: String) throws -> HTTPClient.Reply {
        try site.get("/api/v1_3/getDeviceMessage", as: "prosumer", query: ["type": "GetDeviceMessageRequest", "event": event])
    }

    // MARK: A dump

    @Test func aDumpKilledMidwayLeavesNoPartialFileUnderItsNameAndCanBeRepeated() throws {
        let site = try APISite()
        // 64 MiB of ballast, so that copying takes long enough to be interrupted.
        let database = try SiteDatabase(path: site.file.path, migrations: SiteSchema.migrations, policy: .inspectOnly)
        try database.write { db in
            try db.execute(sql: "CREATE TABLE test_ballast (data BLOB NOT NULL)")
            for _ in 0..<64 { try db.execute(sql: "INSERT INTO test_ballast VALUES (randomblob(1048576))") }
        }
        var rng = SeededGenerator(seed: Self.seed)
        var interrupted = 0
        var partial: [String] = []
        var refusedAgain: [String] = []
        for cycle in 0..<max(2, Self.cycles) {
            let file = site.file.directory.appendingPathComponent("dump-\(cycle).db").path
            let dump = try site.runner.start(["db-ops", "dump", file])
            // The dump writes under a temporary name beside the file (`.<name>.partial-<pid>`) and renames it
            // when complete: kill it once that copy has begun.
            let copy = site.file.directory.appendingPathComponent(".dump-\(cycle).db.partial-\(dump.processIdentifier)").path
            let appeared = Date().addingTimeInterval(20)
            while dump.isRunning && !FileManager.default.fileExists(atPath: copy) && !FileManager.default.fileExists(atPath: file)
                && Date() < appeared {
                Thread.sleep(forTimeInterval: 0.0005)
            }
            Thread.sleep(forTimeInterval: 0.03 * rng.uniform())
            kill(dump.processIdentifier, SIGKILL)
            dump.waitUntilExit()
            guard dump.terminationReason == .uncaughtSignal else { continue }  // it finished first
            interrupted += 1

            if FileManager.default.fileExists(atPath: file) && !Self.isCompleteDump(file) {
                let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
                partial.append("cycle \(cycle): \(size.map(String.init) ?? "?") bytes")
            }
            let again = try site.runner.run(["db-ops", "dump", file])
            if again.exitCode != 0 || !Self.isCompleteDump(file) {
                refusedAgain.append("cycle \(cycle): exit \(again.exitCode) \(again.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
            }
            // Each cycle's files go, so that a hundred cycles do not fill the disk.
            for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file + suffix) }
        }
        printNow("dump-kill summary: dumps_interrupted=\(interrupted) partial_files_left=\(partial.count) repeated_dumps_failed=\(refusedAgain.count)")
        #expect(partial.isEmpty, "killed dumps left a partial file under the final name in \(partial.count) of \(interrupted) cycles: \(partial.prefix(3))")
        #expect(refusedAgain.isEmpty, "a dump to the same name after the kill failed in \(refusedAgain.count) of \(interrupted) cycles: \(refusedAgain.prefix(3))")
        #expect(interrupted > 0, "no dump was interrupted")
        #expect(site.daemon.stop() == 0)
        #expect(try Self.integrityCheck(site.file.path) == ["ok"], "the site survives killed dumps")
    }

    /// Whether `path` is a whole dump: a sound SQLite file with the migrations and all of the ballast.
    static func isCompleteDump(_ path: String) -> Bool {
        var configuration = Configuration()
        configuration.readonly = true
        guard let dump = try? DatabaseQueue(path: path, configuration: configuration) else { return false }
        let state = try? dump.read { db -> (String?, Int, Int) in
            (try String.fetchOne(db, sql: "PRAGMA integrity_check"),
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM test_ballast") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM grdb_migrations") ?? 0)
        }
        guard let (integrity, ballast, migrations) = state else { return false }
        return integrity == "ok" && ballast == 64 && migrations == SiteSchema.migrations.count
    }
}

/// What the posting clients share: the next post's number, the daemon's current port, and the beliefs
/// the daemon acknowledged (slot -> value).
final class PostBook: @unchecked Sendable {
    private let lock = NSLock()
    private var sequence = 0
    private var _port: Int
    private var _stopped = false
    private var _acknowledged: [Int: Double] = [:]
    private var _unexpected: [String] = []

    init(port: Int) { _port = port }

    var port: Int {
        get { lock.withLock { _port } }
        set { lock.withLock { _port = newValue } }
    }
    var stopped: Bool { lock.withLock { _stopped } }
    var acknowledged: [Int: Double] { lock.withLock { _acknowledged } }
    var unexpected: [String] { lock.withLock { _unexpected } }

    func stop() { lock.withLock { _stopped = true } }
    func nextSequence() -> Int {
        lock.withLock {
            defer { sequence += 1 }
            return sequence
        }
    }
    func acknowledge(first: Int, values: [Double]) {
        lock.withLock { for (offset, value) in values.enumerated() { _acknowledged[first + offset] = value } }
    }
    func unexpected(_ status: Int, _ text: String) {
        lock.withLock { _unexpected.append("\(status) \(text.prefix(200))") }
    }
}
