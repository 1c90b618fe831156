import Foundation
import Testing
import TestSupport

/// What one connection may cost the daemon: heads and idle connections on a clock, a budget of connections
/// per listener, and refusals of what HTTP/1.1 cannot parse answered in JSON, never by silence.
@Suite(.serialized) struct ConnectionLimitsTests {
    /// A daemon on TCP and a Unix socket with the given settings.
    final class Site {
        let file: TemporaryDatabase
        let daemon: RunningDaemon

        init(_ environment: [String: String]) throws {
            file = try TemporaryDatabase()
            let runner = CommandRunner(database: file.path, environment: environment)
            daemon = try RunningDaemon(runner: runner, unixSocket: file.directory.appendingPathComponent("fm.sock").path)
        }

        var tcp: HTTPClient.Endpoint { .tcp(port: daemon.port) }
        var unix: HTTPClient.Endpoint { .unix(path: daemon.unixSocket!) }

        func endpoint(_ name: String) -> HTTPClient.Endpoint { name == "unix" ? unix : tcp }

        /// Seconds until `GET /api/` on a fresh connection is answered 200, or nil if it was not within 10 s.
        func secondsToAnswer(on endpoint: HTTPClient.Endpoint) throws -> Double? {
            let started = Date()
            let connection = try RawConnection(endpoint)
            connection.send("GET /api/ HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n")
            guard connection.readResponse(within: 10)?.status == 200 else { return nil }
            return Date().timeIntervalSince(started)
        }

        /// Lowers the running daemon's limit of open files (util-linux's `prlimit`; Glibc's is not in Swift's module).
        func limitOpenFiles(to count: Int) throws {
            let prlimit = Process()
            prlimit.executableURL = URL(fileURLWithPath: "/usr/bin/prlimit")
            prlimit.arguments = ["--pid", "\(daemon.process.processIdentifier)", "--nofile=\(count):\(count)"]
            try prlimit.run()
            prlimit.waitUntilExit()
            try #require(prlimit.terminationStatus == 0)
        }

        deinit { _ = daemon.stop() }
    }

    static let partialHead = "GET /api/ HTTP/1.1\r\nHost: x\r\n"

    // MARK: Settings

    @Test func theLimitsAreSettingsWithDefaults() throws {
        let file = try TemporaryDatabase()
        var runner = CommandRunner(database: file.path)
        runner.environment["FLEXMEASURES_IDLE_TIMEOUT"] = "30"
        let shown = try runner.run(["config", "show"]).stdout
        #expect(shown.contains("FLEXMEASURES_HEADER_TIMEOUT = 10    # default"))
        #expect(shown.contains("FLEXMEASURES_BODY_TIMEOUT = 60    # default"))
        #expect(shown.contains("FLEXMEASURES_IDLE_TIMEOUT = 30    # environment"))
        #expect(shown.contains("FLEXMEASURES_MAX_CONNECTIONS = 512    # default"))
    }

    @Test(arguments: ["FLEXMEASURES_HEADER_TIMEOUT", "FLEXMEASURES_BODY_TIMEOUT", "FLEXMEASURES_IDLE_TIMEOUT", "FLEXMEASURES_MAX_CONNECTIONS"])
    func aLimitThatIsNotAPositiveNumberIsRefusedAtStart(setting: String) throws {
        let file = try TemporaryDatabase()
        for value in ["0", "ten"] {
            let refused = try CommandRunner(database: file.path, environment: [setting: value]).run(["run", "--bind", "127.0.0.1:0"])
            #expect(refused.exitCode == 2)
            #expect(refused.stderr.contains(setting))
        }
    }

    // MARK: Clocks

    @Test func aHalfSentHeadIsAnswered408AndClosedAtTheHeaderTimeout() throws {
        let site = try Site(["FLEXMEASURES_HEADER_TIMEOUT": "2"])
        let connection = try RawConnection(site.tcp)
        let started = Date()
        connection.send(Self.partialHead)
        let (data, closed) = connection.readUntilClosed(within: 10)
        let lived = Date().timeIntervalSince(started)
        #expect(closed, "the connection outlived 10 s")
        #expect(lived > 1.5 && lived < 5, "closed after \(lived) s")
        let reply = try #require(try? HTTPClient(endpoint: site.tcp).parse(data), "\(String(decoding: data, as: UTF8.self))")
        #expect(reply.status == 408)
        #expect(reply.headers["content-type"] == "application/json")
        #expect(reply.statusString == "REQUEST_TIMEOUT")
    }

    @Test func aSlowlorisTricklingTheHeadIsClosedAtTheHeaderTimeout() throws {
        let site = try Site(["FLEXMEASURES_HEADER_TIMEOUT": "2"])
        let connection = try RawConnection(site.tcp)
        let started = Date()
        connection.send(Self.partialHead + "X-Slow: ")
        var received = Data()
        var closed = false
        // A byte every 0.2 s for up to 10 s: each would restart a clock that measures silence.
        while !closed, Date().timeIntervalSince(started) < 10 {
            guard connection.send("a") else { closed = true; break }
            switch connection.read(waiting: 0.2) {
            case .bytes(let more): received.append(more)
            case .closed: closed = true
            case .nothing: break
            }
        }
        let lived = Date().timeIntervalSince(started)
        #expect(closed, "a trickling head kept its connection 10 s")
        #expect(lived > 1.5 && lived < 5, "closed after \(lived) s")
        #expect(String(decoding: received, as: UTF8.self).hasPrefix("HTTP/1.1 408"))
    }

    @Test func aConnectionThatSendsNothingIsClosedAtTheHeaderTimeout() throws {
        let site = try Site(["FLEXMEASURES_HEADER_TIMEOUT": "2"])
        let connection = try RawConnection(site.tcp)
        let started = Date()
        let (data, closed) = connection.readUntilClosed(within: 10)
        let lived = Date().timeIntervalSince(started)
        #expect(closed && data.isEmpty, "closed: \(closed), sent: \(String(decoding: data, as: UTF8.self))")
        #expect(lived > 1.5 && lived < 5, "closed after \(lived) s")
    }

    @Test func anIdleKeptAliveConnectionIsClosedAtTheIdleTimeout() throws {
        let site = try Site(["FLEXMEASURES_HEADER_TIMEOUT": "30", "FLEXMEASURES_IDLE_TIMEOUT": "2"])
        let connection = try RawConnection(site.tcp)
        connection.send("GET /api/ HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(connection.readResponse(within: 10)?.status == 200)
        let answered = Date()
        let (data, closed) = connection.readUntilClosed(within: 10)
        let idled = Date().timeIntervalSince(answered)
        #expect(closed && data.isEmpty)
        #expect(idled > 1.5 && idled < 5, "closed after \(idled) s idle")
    }

    @Test func aKeptAliveConnectionServesRequestsWithinItsClocks() throws {
        let site = try Site(["FLEXMEASURES_HEADER_TIMEOUT": "2", "FLEXMEASURES_IDLE_TIMEOUT": "4"])
        let connection = try RawConnection(site.tcp)
        // Each request comes 1 s after the last answer, 3 s after the connection opened: past the header
        // timeout of the connection's first head, within the idle timeout.
        for _ in 0..<3 {
            connection.send("GET /api/ HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(connection.readResponse(within: 10)?.status == 200)
            Thread.sleep(forTimeInterval: 1)
        }
        #expect(connection.isOpen)
    }

    // MARK: Many connections

    /// 500 connections that each sent part of a head and stopped, on one listener: a gateway is still
    /// answered at once on both.
    @Test(arguments: ["tcp", "unix"])
    func fiveHundredHalfOpenConnectionsDoNotKeepAGatewayWaiting(floodedListener: String) throws {
        raiseOpenFileLimit(to: 4096)
        let site = try Site(["FLEXMEASURES_HEADER_TIMEOUT": "60"])
        var flood: [RawConnection] = []
        for _ in 0..<500 {
            let connection = try RawConnection(site.endpoint(floodedListener))
            connection.send(Self.partialHead)
            flood.append(connection)
        }
        let overTCP = try site.secondsToAnswer(on: site.tcp)
        let overUnix = try site.secondsToAnswer(on: site.unix)
        #expect(overTCP.map { $0 < 2 } == true, "TCP answered after \(overTCP.map { "\($0) s" } ?? "more than 10 s")")
        #expect(overUnix.map { $0 < 2 } == true, "Unix socket answered after \(overUnix.map { "\($0) s" } ?? "more than 10 s")")
        let stillOpen = flood.filter { $0.isOpen }.count
        #expect(stillOpen == 500, "only \(stillOpen) of the half-open connections were still open when the gateway was answered")
    }

    /// A flood of TCP connections larger than the descriptors the daemon may open: the TCP budget refuses
    /// the excess before the process runs out, and the Unix socket is answered on.
    @Test func aFloodBeyondTheDescriptorLimitLeavesTheUnixSocketAnswering() throws {
        raiseOpenFileLimit(to: 4096)
        let site = try Site(["FLEXMEASURES_MAX_CONNECTIONS": "100", "FLEXMEASURES_HEADER_TIMEOUT": "60"])
        try site.limitOpenFiles(to: 300)
        var flood: [RawConnection] = []
        for _ in 0..<500 {
            let connection = try RawConnection(site.tcp)
            connection.send(Self.partialHead)
            flood.append(connection)
        }
        let overUnix = try site.secondsToAnswer(on: site.unix)
        #expect(overUnix.map { $0 < 2 } == true, "Unix socket answered after \(overUnix.map { "\($0) s" } ?? "more than 10 s")")
        // The daemon closes the excess as it accepts it; give it until the count settles.
        var stillOpen = flood.count
        let deadline = Date().addingTimeInterval(5)
        while stillOpen != 100, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            stillOpen = flood.filter { $0.isOpen }.count
        }
        #expect(stillOpen == 100, "\(stillOpen) of the flood's connections open")
    }

    @Test func connectionsBeyondTheBudgetAreClosedWhileTheUnixSocketAnswers() throws {
        let site = try Site(["FLEXMEASURES_MAX_CONNECTIONS": "20", "FLEXMEASURES_HEADER_TIMEOUT": "60"])
        // Twenty kept-alive connections, each answered once: all accepted and counted.
        var held: [RawConnection] = []
        for _ in 0..<20 {
            let connection = try RawConnection(site.tcp)
            connection.send("GET /api/ HTTP/1.1\r\nHost: x\r\n\r\n")
            try #require(connection.readResponse(within: 10)?.status == 200)
            held.append(connection)
        }
        let excess = try RawConnection(site.tcp)
        excess.send("GET /api/ HTTP/1.1\r\nHost: x\r\n\r\n")
        let (data, closed) = excess.readUntilClosed(within: 5)
        #expect(closed && data.isEmpty, "the 21st connection got \(String(decoding: data, as: UTF8.self)) (closed: \(closed))")
        #expect(try site.secondsToAnswer(on: site.unix) != nil, "the Unix socket has its own budget")
        let heldOpen = held.filter { $0.isOpen }.count
        #expect(heldOpen == 20)

        held.removeLast()
        var answered = false
        let deadline = Date().addingTimeInterval(5)
        while !answered, Date() < deadline {
            answered = try site.secondsToAnswer(on: site.tcp) != nil
            if !answered { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(answered, "a closed connection frees its place in the budget")
    }

    // MARK: Protocol switches and refusals

    @Test(arguments: [
        "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n",
        "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n",
    ])
    func anUpgradeRequestIsAnsweredInHTTP1AndTheNextRequestNeverHangs(upgradeHeaders: String) throws {
        let site = try Site([:])
        let connection = try RawConnection(site.tcp)
        connection.send("GET /api/ HTTP/1.1\r\nHost: x\r\n" + upgradeHeaders + "\r\n")
        let first = try #require(connection.readResponse(within: 10))
        #expect(first.status == 200)
        #expect(first.headers["connection"]?.lowercased() == "close")
        connection.send("GET /api/ HTTP/1.1\r\nHost: x\r\n\r\n")
        let (data, closed) = connection.readUntilClosed(within: 5)
        #expect(closed || String(decoding: data, as: UTF8.self).hasPrefix("HTTP/1.1 200"), "the second request hung")
    }

    struct Malformed: CustomTestStringConvertible, Sendable {
        let label: String
        let request: String
        let status: Int
        let statusString: String
        var testDescription: String { label }
    }

    static let malformed: [Malformed] = [
        Malformed(label: "a 100 KB header line", request: "GET /api/ HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 100_000))\r\n\r\n",
                  status: 431, statusString: "REQUEST_HEADER_FIELDS_TOO_LARGE"),
        Malformed(label: "1,000 header fields", request: "GET /api/ HTTP/1.1\r\nHost: x\r\n" + (0..<1000).map { "X-Field-\($0): v\r\n" }.joined() + "\r\n",
                  status: 431, statusString: "REQUEST_HEADER_FIELDS_TOO_LARGE"),
        Malformed(label: "a 100 KB URL", request: "GET /api/?q=\(String(repeating: "a", count: 100_000)) HTTP/1.1\r\nHost: x\r\n\r\n",
                  status: 414, statusString: "URI_TOO_LONG"),
        Malformed(label: "method Post", request: "Post /api/v2_0/postMeterData HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
                  status: 400, statusString: "INVALID_REQUEST"),
        Malformed(label: "a bare LF in a header", request: "GET /api/ HTTP/1.1\r\nHost: x\r\nX-A: b\nc\r\n\r\n",
                  status: 400, statusString: "INVALID_REQUEST"),
        Malformed(label: "HTTP/2 without upgrade", request: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
                  status: 400, statusString: "UNSUPPORTED_HTTP_VERSION"),
    ]

    @Test(arguments: malformed)
    func aRequestTheParserRefusesIsAnsweredInJSONAndClosed(_ malformed: Malformed) throws {
        let site = try Site([:])
        let connection = try RawConnection(site.tcp)
        connection.send(malformed.request)
        let (data, closed) = connection.readUntilClosed(within: 10)
        #expect(closed, "the connection stayed open")
        let reply = try #require(try? HTTPClient(endpoint: site.tcp).parse(data), "\(String(decoding: data, as: UTF8.self))")
        #expect(reply.status == malformed.status)
        #expect(reply.headers["content-type"] == "application/json")
        #expect(reply.statusString == malformed.statusString, "\(reply.text)")
        #expect((reply.json?["message"] as? String)?.isEmpty == false)
        #expect(try site.secondsToAnswer(on: site.tcp) != nil, "the daemon serves on")
    }

    @Test func headAnswersWhatGetWouldWithoutTheBody() throws {
        let site = try Site([:])
        let connection = try RawConnection(site.tcp)
        for path in ["/api/", "/api/v2_0/postMeterData", "/api/nowhere"] {
            connection.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
            let get = try #require(connection.readResponse(within: 10))
            connection.send("HEAD \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try #require(connection.readResponse(within: 10, toHEAD: true))
            #expect(head.status == get.status, "\(path)")
            #expect(head.headers["content-type"] == get.headers["content-type"])
            #expect(head.headers["content-length"] == "\(get.body.count)")
        }
        // Had a body followed the HEAD answer, it would be read here in place of the next answer.
        connection.send("GET /api/ HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(connection.readResponse(within: 10)?.status == 200)
    }
}
