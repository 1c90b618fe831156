import BeliefStore
import Beliefs
import Foundation
import GRDB
import Testing
import TestSupport

/// Seeded fuzzing of the running daemon over TCP and its Unix socket, alternately: mutated valid
/// messages of every route and version (`FuzzCorpus`). The daemon must never die, never answer 5xx,
/// answer every request within the timeout, keep answering `GET /api/` within 100 ms while it works,
/// and store nothing of a refused write.
///
/// `FLEXMEASURES_FUZZ_REQUESTS` (default 2,000) scales the run, `FLEXMEASURES_FUZZ_SEED` repeats one,
/// `FLEXMEASURES_FUZZ_SKIP` leaves mutation classes out; `scripts/fuzz-api.sh` runs 100,000. Every
/// finding goes to the report file the summary line names.
@Suite(.serialized) struct APIFuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let requestCount = environment["FLEXMEASURES_FUZZ_REQUESTS"].flatMap { Int($0) } ?? 2_000
    static let seed = environment["FLEXMEASURES_FUZZ_SEED"].flatMap { UInt64($0) } ?? UInt64.random(in: 1...UInt64(UInt32.max))
    /// The run stops after this many deaths (each costs a backtrace and a restart).
    static let maximumDeaths = environment["FLEXMEASURES_FUZZ_MAX_DEATHS"].flatMap { Int($0) } ?? 50
    /// Mutation classes to leave out, comma-separated (`FLEXMEASURES_FUZZ_SKIP=amplify,duration`).
    static let skipped = Set((environment["FLEXMEASURES_FUZZ_SKIP"] ?? "").split(separator: ",").map(String.init))
    /// A probe `GET /api/` goes out beside every this many requests.
    static let probeEvery = 10
    static let probeLimit: TimeInterval = 0.1
    /// An answer later than this is a hang.
    static let requestTimeout: TimeInterval = 10
    /// The run stops (failing) after this long, whatever is left.
    static let deadline: TimeInterval = environment["FLEXMEASURES_FUZZ_SECONDS"].flatMap { TimeInterval($0) }
        ?? max(120, Double(requestCount) * 0.06)

    @Test func mutatedMessagesOfEveryRouteNeitherKillNorStallTheDaemonAndRefusedWritesStoreNothing() throws {
        let backups = try TemporaryDatabase()
        try FileManager.default.createDirectory(at: backups.directory.appendingPathComponent("empty_v0"), withIntermediateDirectories: true)
        let site = try APISite(environment: ["FLEXMEASURES_DB_BACKUP_PATH": backups.directory.path], unixSocket: true)
        var tokens: [String: String] = [:]
        for user in APISite.users.map(\.name) { tokens[user] = try? site.token(user) }
        try #require(tokens["prosumer"] != nil && tokens["admin"] != nil)
        try Self.postPrices(site, run: 0)

        printNow("fuzz seed: \(Self.seed) (FLEXMEASURES_FUZZ_SEED=\(Self.seed) repeats this run), \(Self.requestCount) requests"
                 + (Self.skipped.isEmpty ? "" : ", skipping \(Self.skipped.sorted().joined(separator: ","))"))
        var run = FuzzRun(site: site, seed: Self.seed)
        let lingering = LingeringConnections(site: site)
        defer { lingering.stop() }

        let started = Date()
        var corpus = FuzzCorpus(seed: Self.seed, skipping: Self.skipped)
        for index in 0..<Self.requestCount {
            guard Date().timeIntervalSince(started) < Self.deadline else {
                run.record(.stoppedEarly, index: index, request: nil, detail: "the run took longer than \(Int(Self.deadline)) s")
                break
            }
            if index > 0 && index % 500 == 0 { try? Self.postPrices(site, run: index) }
            let request = corpus.next()
            run.send(request, index: index, tokens: tokens, corpus: &corpus)
            if run.broken { break }
            if run.deaths >= Self.maximumDeaths {
                run.record(.stoppedEarly, index: index, request: nil, detail: "\(run.deaths) deaths (FLEXMEASURES_FUZZ_MAX_DEATHS)")
                break
            }
        }
        lingering.stop()
        run.finish()

        let report = run.writeReport()
        printNow(run.summaryLine + " report=\(report)")
        for finding in run.findings.prefix(40) { Issue.record("\(finding)") }
        if run.findings.count > 40 { Issue.record("and \(run.findings.count - 40) more findings in \(report)") }
        #expect(run.deaths == 0, "the daemon died \(run.deaths) times")
        #expect(run.count(.serverError) == 0, "5xx answers")
        #expect(run.count(.hang) == 0, "requests without an answer within \(Int(Self.requestTimeout)) s")
        #expect(run.slowestProbe <= Self.probeLimit, "slowest GET /api/: \(run.slowestProbe)")
        #expect(run.count(.refusedButStored) == 0, "refused writes that left beliefs behind")
    }

    /// 72 hourly prices from 2015-06-02 (what scheduling needs), with a prior of their own so that the
    /// run can post them again after a restoreData.
    static func postPrices(_ site: APISite, run: Int) throws {
        let prices = (0..<72).map { hour -> Double in
            let h = Double(hour % 24)
            return ((40 + 25 * sin((h - 9) / 24 * 2 * .pi)) * 100).rounded() / 100
        }
        let reply = try site.send("POST", "/api/v2_0/postPriceData", as: "prosumer", json: [
            "type": "PostPriceDataRequest", "market": FuzzCorpus.market, "values": prices,
            "start": FuzzCorpus.pricesStart.iso8601, "duration": "PT72H",
            "prior": (FuzzCorpus.pricesStart - .hours(12) + .seconds(Int64(run))).iso8601, "unit": "EUR/MWh",
        ])
        try #require(reply.status == 200, "\(reply.text)")
    }
}

/// The state of one fuzz run: the daemon (restarted after each death), findings, markers of writes.
struct FuzzRun {
    enum Kind: String, CaseIterable {
        case death = "DEATH"
        case stuck = "STUCK"
        case serverError = "5XX"
        case hang = "HANG"
        case slowProbe = "SLOW GET /api/"
        case dropped = "DROPPED"
        case refusedButStored = "REFUSED BUT STORED"
        case badShutdown = "BAD SHUTDOWN"
        case unhealthy = "UNHEALTHY"
        case slowRequest = "SLOW REQUEST"
        case stoppedEarly = "STOPPED EARLY"

        /// Kinds that fail the test; the others are reported.
        var fails: Bool { ![.dropped, .slowRequest].contains(self) }
    }

    struct Finding: CustomStringConvertible {
        let kind: Kind
        let index: Int
        let request: String?
        let detail: String
        var description: String {
            "\(kind.rawValue) #\(index): \(detail)\(request.map { " <- \($0)" } ?? "")"
        }
    }

    let site: APISite
    let seed: UInt64
    private(set) var findings: [Finding] = []
    private(set) var notes: [Finding] = []
    private(set) var requests = 0
    private(set) var deaths = 0
    /// Set when the daemon cannot be started again: the run ends.
    private(set) var broken = false
    private(set) var slowestProbe: TimeInterval = 0
    private(set) var slowestProbeContext = ""
    private var probes = 0
    private var statuses: [Int: Int] = [:]
    /// Requests, seconds and the slowest, per mutation class ("several" for mixes): where the run's time goes.
    private var timeByClass: [String: (count: Int, seconds: TimeInterval, slowest: TimeInterval)] = [:]
    /// Markers of writes answered 200, and of writes answered with a refusal.
    private var accepted: Set<Double> = []
    private var refused: [Double: String] = [:]
    private var recent: [String] = []
    /// The bytes of the request in flight, and where those of findings are kept.
    private var currentBytes: Data?
    let requestFolder = Self.reportPath + ".requests"
    /// The whole log of every daemon that died, for the report.
    private var deathLogs: [String] = []

    init(site: APISite, seed: UInt64) {
        self.site = site
        self.seed = seed
        try? FileManager.default.removeItem(atPath: requestFolder)
    }

    func count(_ kind: Kind) -> Int { (findings + notes).filter { $0.kind == kind }.count }

    mutating func record(_ kind: Kind, index: Int, request: FuzzRequest?, detail: String) {
        let finding = Finding(kind: kind, index: index, request: request?.summary, detail: detail)
        if request != nil, kind.fails, let bytes = currentBytes {
            // The request as sent, for replaying it alone (the tokens stay valid on a site set up the same way).
            try? FileManager.default.createDirectory(atPath: requestFolder, withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: "\(requestFolder)/\(index).http", contents: bytes)
        }
        if kind.fails { findings.append(finding) } else { notes.append(finding) }
        if kind.fails { printNow("fuzz finding: \(finding.description.prefix(600))") }
    }

    private func endpoint(_ index: Int) -> HTTPClient.Endpoint {
        index % 2 == 0 ? .tcp(port: site.daemon.port) : .unix(path: site.unixSocketPath!)
    }

    /// Sends one request (with a probe beside every `probeEvery`th) and judges what came back.
    mutating func send(_ request: FuzzRequest, index: Int, tokens: [String: String], corpus: inout FuzzCorpus) {
        requests += 1
        let transport = index % 2 == 0 ? "tcp" : "unix"
        recent = Array((recent + ["#\(index) \(transport) \(request.summary.prefix(300))"]).suffix(8))
        let client = HTTPClient(endpoint: endpoint(index), timeout: APIFuzzTests.requestTimeout)
        let bytes = request.bytes { tokens[$0] }
        currentBytes = bytes
        let started = Date()
        var outcome: Result<HTTPClient.Reply, Error>
        var probeResult: (reply: HTTPClient.Reply?, elapsed: TimeInterval)?
        do {
            let pending = try client.start(raw: bytes, halfClose: request.halfClose)
            if index % APIFuzzTests.probeEvery == APIFuzzTests.probeEvery - 1 {
                Thread.sleep(forTimeInterval: 0.002)
                probeResult = probe(index: index)
            }
            outcome = Result { try pending.reply() }
        } catch {
            outcome = .failure(error)
        }
        let elapsed = Date().timeIntervalSince(started)
        let name = request.classes.isEmpty ? "valid" : Set(request.classes).count == 1 ? request.classes[0] : "several"
        timeByClass[name, default: (0, 0, 0)].count += 1
        timeByClass[name]!.seconds += elapsed
        timeByClass[name]!.slowest = max(timeByClass[name]!.slowest, elapsed)
        // A probe beside a request that brought the daemon down says nothing about its responsiveness.
        if let probe = probeResult, case .success = outcome, !site.daemon.isCrashing {
            judge(probe, index: index, during: request)
        }

        switch outcome {
        case let .success(reply):
            statuses[reply.status, default: 0] += 1
            if reply.status >= 500 {
                record(.serverError, index: index, request: request, detail: "\(transport) answered \(reply.status): \(reply.body.printable(limit: 200))")
            }
            if elapsed > 1 {
                record(.slowRequest, index: index, request: request, detail: "\(transport) answered \(reply.status) after \(String(format: "%.2f", elapsed)) s")
            }
            learn(from: reply, to: request, corpus: &corpus)
        case let .failure(error):
            let failure = error as? HTTPClient.Failure
            // A crashing daemon spends seconds writing its backtrace before it exits: wait for that.
            let wait: TimeInterval = site.daemon.isCrashing ? 15 : failure?.kind == .timeout ? 0.1 : 1
            if !site.daemon.awaitExit(within: wait) {
                if failure?.kind == .timeout {
                    record(.hang, index: index, request: request, detail: "\(transport): no answer within \(Int(APIFuzzTests.requestTimeout)) s")
                    // Whatever the daemon is still doing would slow the requests after this one: a fresh daemon
                    // (on the same file) goes on, so that every finding belongs to its own request.
                    if !daemonAnswers() {
                        record(.stuck, index: index, request: request, detail: "GET /api/ unanswered 2 s after the hang")
                    }
                    site.daemon.killNine()
                    restart(index: index)
                    return
                } else if !request.malformedHTTP {
                    record(.dropped, index: index, request: request, detail: "\(transport): \(error)")
                }
            }
        }
        if !site.daemon.isRunning { restartAfterDeath(index: index, request: request, transport: transport) }
    }

    /// What an answer teaches the corpus and the refused-writes check.
    private mutating func learn(from reply: HTTPClient.Reply, to request: FuzzRequest, corpus: inout FuzzCorpus) {
        if let marker = request.marker {
            if reply.status == 200 {
                accepted.insert(marker)
                if !request.heavy { corpus.lastAccepted = request }
            } else if reply.status >= 400 {
                refused[marker] = refused[marker] ?? request.summary
            }
        }
        if reply.status == 201, request.path == "/api/v2_0/assets", let id = reply.json?["id"] as? Int {
            corpus.createdAssets.append(Int64(id))
        }
        if reply.status == 204, request.method == "DELETE", let id = Int64(request.path.split(separator: "/").last ?? "") {
            corpus.createdAssets.removeAll { $0 == id }
        }
        if reply.status == 200, request.path.hasSuffix("/postUdiEvent"),
           case let .string(event)? = request.body?["event"], let id = Int64(event.split(separator: ":").dropFirst(3).first ?? ""),
           id > corpus.lastEventID, id < FuzzCorpus.largestFollowedEventID {
            corpus.lastEventID = id
        }
    }

    /// A `GET /api/` while the request of `index` is in flight, over the other transport.
    private func probe(index: Int) -> (reply: HTTPClient.Reply?, elapsed: TimeInterval) {
        let client = HTTPClient(endpoint: endpoint(index + 1), timeout: 2)
        let started = Date()
        let reply = try? client.send("GET", "/api/")
        return (reply, Date().timeIntervalSince(started))
    }

    /// Records a probe's time; a slow or failed one is a finding (unless the daemon died meanwhile).
    private mutating func judge(_ probe: (reply: HTTPClient.Reply?, elapsed: TimeInterval), index: Int, during request: FuzzRequest) {
        probes += 1
        if probe.elapsed > slowestProbe {
            slowestProbe = probe.elapsed
            slowestProbeContext = "#\(index) \(request.summary.prefix(300))"
        }
        if probe.reply?.status != 200 || probe.elapsed > APIFuzzTests.probeLimit {
            let answer = probe.reply.map { "\($0.status)" } ?? "no answer"
            record(.slowProbe, index: index, request: request,
                   detail: "GET /api/ took \(String(format: "%.0f", probe.elapsed * 1000)) ms (\(answer)) while this request was in flight")
        }
    }

    private func daemonAnswers() -> Bool {
        (try? HTTPClient(endpoint: .tcp(port: site.daemon.port), timeout: 2).send("GET", "/api/").status) == 200
    }

    private mutating func restartAfterDeath(index: Int, request: FuzzRequest, transport: String) {
        deaths += 1
        let ending = site.daemon.ending
        let log = site.daemon.logText
        deathLogs.append(log)
        record(.death, index: index, request: request,
               detail: "\(transport): the daemon ended with \(ending): \(Self.crashExcerpt(log)); the requests before: \(recent.dropLast().suffix(3).joined(separator: " || ").prefix(1500))")
        restart(index: index)
    }

    /// What the daemon's log says of its crash: the fatal error, and the crashed thread's first frames in
    /// the daemon's code (the other threads' frames say nothing about the cause).
    static func crashExcerpt(_ log: String) -> String {
        let lines = log.split(separator: "\n", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
        var excerpt = lines.filter { $0.hasPrefix("Fatal error") || $0.hasPrefix("*** Swift runtime failure") || $0.hasPrefix("*** Program crashed") }
        if let crashed = lines.firstIndex(where: { $0.hasPrefix("Thread ") && $0.hasSuffix(" crashed:") }) {
            let thread = lines[(crashed + 1)...].prefix { !$0.hasPrefix("Thread ") && !$0.hasPrefix("Registers") }
            excerpt += thread.filter { $0.contains(" in flexmeasures at ") }.prefix(6)
        }
        if excerpt.isEmpty { excerpt = Array(lines.suffix(4)) }
        return excerpt.joined(separator: " | ")
    }

    private mutating func restart(index: Int) {
        do {
            try site.restartDaemon()
        } catch {
            record(.stoppedEarly, index: index, request: nil, detail: "the daemon did not start again: \(error)")
            broken = true
        }
    }

    /// Checks health, stops the daemon (it must exit 0), and looks for beliefs of refused writes.
    mutating func finish() {
        if site.daemon.isRunning {
            let health = try? HTTPClient(endpoint: .tcp(port: site.daemon.port), timeout: 5).send("GET", "/api/health")
            if health?.status != 200 {
                record(.unhealthy, index: requests, request: nil, detail: "GET /api/health after the run: \(health.map { "\($0.status) \($0.text.prefix(300))" } ?? "no answer")")
            }
        }
        let status = site.daemon.stop()
        if status != 0 {
            record(.badShutdown, index: requests, request: nil, detail: "SIGTERM after the run: \(site.daemon.ending); log: \(site.daemon.logText.suffix(600))")
        }
        let suspects = Set(refused.keys).subtracting(accepted)
        do {
            for (sensor, value) in try Self.storedValues(in: site.file.path, among: suspects) {
                record(.refusedButStored, index: requests, request: nil, detail: "sensor \(sensor) holds \(value) of a refused write: \(refused[value] ?? "")")
            }
        } catch {
            record(.refusedButStored, index: requests, request: nil, detail: "the database could not be read after the run: \(error)")
        }
    }

    /// Every (sensor, value) stored in the database whose value is one of `values`: tail rows and every
    /// segment, decoded, whatever its time.
    static func storedValues(in path: String, among values: Set<Double>) throws -> [(Int64, Double)] {
        guard !values.isEmpty else { return [] }
        return try DatabaseQueue(path: path).read { db in
            var found: [(Int64, Double)] = []
            let tail = try Row.fetchCursor(db, sql: "SELECT sensor_id, value FROM belief_tail")
            while let row = try tail.next() {
                let value: Double = row[1]
                if values.contains(value) { found.append((row[0], value)) }
            }
            let segments = try Row.fetchCursor(db, sql: "SELECT sensor_id, data FROM belief_segment")
            while let row = try segments.next() {
                let data: Data = row[1]
                for value in try SegmentCodec.decode(data).values where values.contains(value) {
                    found.append((row[0], value))
                }
            }
            return found
        }
    }

    var summaryLine: String {
        "fuzz summary: seed=\(seed) requests=\(requests) deaths=\(deaths) 5xx=\(count(.serverError)) hangs=\(count(.hang)) "
            + "stuck=\(count(.stuck)) slow_probes=\(count(.slowProbe)) slowest_get_api_ms=\(String(format: "%.1f", slowestProbe * 1000)) "
            + "refused_writes=\(refused.count) refused_but_stored=\(count(.refusedButStored)) dropped=\(count(.dropped))"
    }

    static let reportPath = APIFuzzTests.environment["FLEXMEASURES_FUZZ_REPORT"]
        ?? FileManager.default.temporaryDirectory.appendingPathComponent("flexmeasures-fuzz-\(APIFuzzTests.seed).txt").path

    /// Writes every finding and note to `reportPath`, the requests of findings beside it.
    func writeReport() -> String {
        let path = Self.reportPath
        var text = summaryLine + "\n"
        text += "answers by status: " + statuses.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "\n"
        text += "slowest GET /api/ beside: \(slowestProbeContext)\n"
        text += "time by mutation class: " + timeByClass.sorted { $0.value.seconds > $1.value.seconds }
            .map { "\($0.key) \($0.value.count)x \(String(format: "%.1f", $0.value.seconds)) s (max \(String(format: "%.1f", $0.value.slowest)))" }
            .joined(separator: ", ") + "\n\n"
        for finding in findings + notes.sorted(by: { $0.kind.rawValue < $1.kind.rawValue }) { text += finding.description + "\n" }
        for (number, log) in deathLogs.enumerated() {
            text += "\n==== log of death \(number + 1) ====\n" + log.suffix(20_000)
        }
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

/// Connections that stay open through the run: idle ones, ones that sent half a request, and two that
/// write a request one byte at a time. They must not keep the daemon from serving the others.
final class LingeringConnections: @unchecked Sendable {
    private let lock = NSLock()
    private var connections: [HTTPClient.Connection] = []
    private var stopped = false
    private let done = DispatchGroup()

    init(site: APISite) {
        let endpoints: [HTTPClient.Endpoint] = [.tcp(port: site.daemon.port), .unix(path: site.unixSocketPath!)]
        for endpoint in endpoints {
            let client = HTTPClient(endpoint: endpoint, timeout: 5)
            if let idle = try? client.open() { connections.append(idle) }
            if let partial = try? client.open() {
                partial.write(Data("POST /api/v2_0/postMeterData HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n{\"type\":".utf8))
                connections.append(partial)
            }
            guard let slow = try? client.open() else { continue }
            done.enter()
            Thread.detachNewThread { [self] in
                let request = Data("GET /api/v2_0/getService HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8)
                for byte in request {
                    if lock.withLock({ stopped }) || !slow.write(Data([byte])) { break }
                    Thread.sleep(forTimeInterval: 0.1)
                }
                done.leave()
            }
        }
    }

    func stop() {
        lock.withLock { stopped = true }
        done.wait()
        lock.withLock { connections.removeAll() }
    }
}
