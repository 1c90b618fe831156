import Foundation

/// Headless Chromium driven through Debian's chromedriver over the W3C WebDriver protocol (JSON over HTTP on
/// loopback). One session per instance; `quit()` (or deinit) ends chromedriver, Chromium and every process they
/// started, whatever state the test left them in.
///
///     let browser = try await BrowserSession()
///     defer { browser.quit() }
///     try await browser.navigate(to: "http://127.0.0.1:\(daemon.port)/")
///     try await browser.waitUntil("the chart is drawn") { try await browser.findAll("figure svg path").count > 0 }
final class BrowserSession {
    static let chromium = "/usr/bin/chromium"
    static let chromedriver = "/usr/bin/chromedriver"
    /// The window of a laptop; `setWindowSize` makes it a phone's.
    static let defaultWindow = (width: 1280, height: 900)

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// An element of the current page, as WebDriver names it; stale once the page changes.
    struct Element: Sendable, Hashable {
        static let key = "element-6066-11e4-a52e-4f735466cecf"
        let id: String
        var json: [String: String] { [Self.key: id] }
    }

    let port: Int
    private let driver = Process()
    private let profile: URL
    private var sessionID: String?
    private let driverLog: URL

    /// Starts chromedriver on a free port and opens a headless Chromium session; fails (never skips) when
    /// Chromium or chromedriver is missing, since `make test` installs both (scripts/install-deps.sh).
    init(width: Int = defaultWindow.width, height: Int = defaultWindow.height) async throws {
        for (path, package) in [(Self.chromium, "chromium"), (Self.chromedriver, "chromium-driver")]
        where !FileManager.default.isExecutableFile(atPath: path) {
            throw Failure(description: "\(path) is missing: the browser tests need Debian's \(package); "
                + "`make test` installs it (scripts/install-deps.sh), or run `apt-get install chromium chromium-driver`")
        }
        port = try Self.freePort()
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        driverLog = profile.appendingPathComponent("chromedriver.log")
        // Foundation starts a child in a process group of its own on Linux; Chromium and its helpers join it, so
        // that one kill of the group ends them all. Every one of them also names the profile on its command line.
        driver.executableURL = URL(fileURLWithPath: Self.chromedriver)
        driver.arguments = ["--port=\(port)", "--log-path=\(driverLog.path)"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        driver.standardInput = FileHandle.nullDevice
        try driver.run()
        do {
            try await waitUntil("chromedriver answers on port \(port)", timeout: .seconds(10), poll: .milliseconds(20)) {
                guard self.driver.isRunning else { throw Failure(description: "chromedriver exited: \(self.driverLogTail)") }
                _ = try await self.send("GET", "/status")
                return true
            }
            let answer = try await send("POST", "/session", [
                "capabilities": [
                    "alwaysMatch": [
                        "browserName": "chrome",
                        "pageLoadStrategy": "normal",
                        "timeouts": ["script": 10_000, "pageLoad": 15_000, "implicit": 0],
                        "goog:loggingPrefs": ["browser": "ALL"],
                        "goog:chromeOptions": [
                            "binary": Self.chromium,
                            "args": [
                                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                                "--window-size=\(width),\(height)", "--user-data-dir=\(profile.path)",
                                // Nothing leaves the machine: the console must work without it.
                                "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                                "--disable-component-update", "--disable-sync", "--disable-extensions",
                                "--disable-crash-reporter", "--lang=en-GB",
                            ],
                        ] as [String: Any],
                    ] as [String: Any],
                ],
            ])
            guard let value = answer as? [String: Any], let id = value["sessionId"] as? String else {
                throw Failure(description: "chromedriver made no session: \(String(describing: answer))")
            }
            sessionID = id
        } catch {
            quit()
            throw error
        }
    }

    deinit { quit() }

    // MARK: Navigation and pages

    func navigate(to url: String) async throws {
        try await session("POST", "/url", ["url": url])
    }

    /// Opens `url`, then replaces its document with `html` (document.write): a page of the test's own with the
    /// origin of `url`, so that its scripts' same-origin fetches and `history.replaceState` work as on a real page.
    func show(html: String, at url: String) async throws {
        try await navigate(to: url)
        try await executeScript("document.open(); document.write(arguments[0]); document.close();", [html])
    }

    func currentURL() async throws -> String {
        try await session("GET", "/url") as? String ?? ""
    }

    func title() async throws -> String {
        try await session("GET", "/title") as? String ?? ""
    }

    /// The page's HTML as the browser holds it now.
    func pageSource() async throws -> String {
        try await session("GET", "/source") as? String ?? ""
    }

    /// Runs `script` as a function body in the page (`arguments[0]`... are `arguments`, elements passed as
    /// `Element`); returns what it returns, as JSON values (elements come back as `Element`).
    @discardableResult
    func executeScript(_ script: String, _ arguments: [Any] = []) async throws -> Any? {
        let value = try await session("POST", "/execute/sync", ["script": script, "args": arguments.map(Self.encode)])
        return Self.decode(value)
    }

    /// Runs `script` with a callback as its last argument and waits (at most the session's script timeout,
    /// 10 s) until the page calls it; returns the value passed to it. For promises:
    /// `executeAsyncScript("const done = arguments[arguments.length - 1]; p.then(done)")`.
    @discardableResult
    func executeAsyncScript(_ script: String, _ arguments: [Any] = []) async throws -> Any? {
        let value = try await session("POST", "/execute/async", ["script": script, "args": arguments.map(Self.encode)])
        return Self.decode(value)
    }

    // MARK: Elements

    /// The first element matching a CSS selector; throws if there is none.
    func find(_ css: String) async throws -> Element {
        let value = try await session("POST", "/element", ["using": "css selector", "value": css])
        guard let element = Self.decode(value) as? Element else { throw Failure(description: "no element for \(css)") }
        return element
    }

    /// Every element matching a CSS selector, in document order; empty if none.
    func findAll(_ css: String) async throws -> [Element] {
        let value = try await session("POST", "/elements", ["using": "css selector", "value": css])
        return (Self.decode(value) as? [Any] ?? []).compactMap { $0 as? Element }
    }

    func click(_ element: Element) async throws {
        try await session("POST", "/element/\(element.id)/click", [:])
    }

    /// Types `text` into an input, a textarea or a file input (a path), after what it holds.
    func type(_ text: String, into element: Element) async throws {
        try await session("POST", "/element/\(element.id)/value", ["text": text])
    }

    func clear(_ element: Element) async throws {
        try await session("POST", "/element/\(element.id)/clear", [:])
    }

    /// The element's rendered text (what a person sees, without hidden parts).
    func text(of element: Element) async throws -> String {
        try await session("GET", "/element/\(element.id)/text") as? String ?? ""
    }

    /// The attribute (or, for boolean and reflected ones, the property) as WebDriver reports it; nil if absent.
    func attribute(_ name: String, of element: Element) async throws -> String? {
        try await session("GET", "/element/\(element.id)/attribute/\(name)") as? String
    }

    /// The DOM property (`value` of an input as typed, `checked`...), as a JSON value.
    func property(_ name: String, of element: Element) async throws -> Any? {
        Self.decode(try await session("GET", "/element/\(element.id)/property/\(name)"))
    }

    // MARK: Waiting, windows, screenshots, logs

    /// Polls `condition` every `poll` until it is true; throws after `timeout` with `description` (the way to
    /// wait for a page: never a fixed sleep).
    func waitUntil(_ description: String, timeout: Duration = .seconds(5), poll: Duration = .milliseconds(50),
                   _ condition: () async throws -> Bool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var lastError: (any Error)?
        while true {
            do {
                if try await condition() { return }
                lastError = nil
            } catch let failure as Failure where failure.description.hasPrefix("chromedriver exited") {
                throw failure
            } catch {
                lastError = error
            }
            if clock.now >= deadline {
                throw Failure(description: "timed out after \(timeout) waiting until \(description)"
                    + (lastError.map { " (last error: \($0))" } ?? ""))
            }
            try await Task.sleep(for: poll)
        }
    }

    func setWindowSize(width: Int, height: Int) async throws {
        try await session("POST", "/window/rect", ["width": width, "height": height])
    }

    /// Saves a PNG of the viewport as `.build/browser-screenshots/<name>.png` under the package; returns its URL.
    @discardableResult
    func screenshot(named name: String) async throws -> URL {
        guard let text = try await session("GET", "/screenshot") as? String, let png = Data(base64Encoded: text) else {
            throw Failure(description: "chromedriver sent no screenshot")
        }
        let folder = Self.screenshotFolder
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(name.hasSuffix(".png") ? name : "\(name).png")
        try png.write(to: file)
        return file
    }

    /// `.build/browser-screenshots` of the package these tests belong to.
    static var screenshotFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/browser-screenshots")
    }

    /// The page's console messages since the last call ("SEVERE ...", "WARNING ..."), for failure reports.
    func consoleMessages() async throws -> [String] {
        let entries = try await session("POST", "/se/log", ["type": "browser"]) as? [[String: Any]] ?? []
        return entries.map { "\($0["level"] ?? "") \($0["message"] ?? "")" }
    }

    // MARK: Ending

    /// Ends the session, chromedriver, Chromium and their helpers (a kill of the process group, then of any
    /// process still using this session's profile), and removes the profile. Safe to call more than once.
    func quit() {
        if let id = sessionID {
            sessionID = nil
            // Chromium closes cleanly on DELETE; a dead or hung chromedriver is killed below anyway.
            var client = HTTPClient(endpoint: .tcp(port: port))
            client.timeout = 5
            _ = try? client.send("DELETE", "/session/\(id)")
        }
        let pid = driver.processIdentifier
        if pid > 0 {
            // Never the test runner's own group: only a group that chromedriver leads.
            let target = getpgid(pid) == pid && pid != getpgrp() ? -pid : pid
            kill(target, SIGTERM)
            let deadline = Date().addingTimeInterval(3)
            while driver.isRunning && Date() < deadline { usleep(10_000) }
            kill(target, SIGKILL)
            if driver.isRunning { driver.waitUntilExit() }
        }
        // Chromium's crash handler leaves the group (a session of its own); it names the profile too.
        for leftover in Self.processes(mentioning: profile.path) { kill(leftover, SIGKILL) }
        try? FileManager.default.removeItem(at: profile)
    }

    /// Processes whose command line contains `marker` (read from /proc), for the cleanup of one session.
    static func processes(mentioning marker: String) -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), pid != getpid(),
                  let line = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            return String(decoding: line, as: UTF8.self).contains(marker) ? pid : nil
        }
    }

    var driverLogTail: String {
        let text = (try? String(contentsOf: driverLog, encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }

    // MARK: WebDriver over HTTP

    @discardableResult
    private func session(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
        guard let id = sessionID else { throw Failure(description: "the browser session has ended") }
        return try await send(method, "/session/\(id)\(path)", body)
    }

    /// One WebDriver command: the answer's `value`, or a Failure with WebDriver's error and message. Over the
    /// tests' own HTTP client: FoundationNetworking's URLSession fails on chromedriver's answers ("Failed
    /// writing header").
    private func send(_ method: String, _ path: String, _ body: [String: Any]? = nil, timeout: TimeInterval = 30) async throws -> Any? {
        var client = HTTPClient(endpoint: .tcp(port: port))
        client.timeout = timeout
        let reply = try client.send(method, path, json: body)
        let json = try? JSONSerialization.jsonObject(with: reply.body, options: [.fragmentsAllowed]) as? [String: Any]
        let value = json?["value"]
        guard (200..<300).contains(reply.status) else {
            let error = value as? [String: Any]
            let message = (error?["message"] as? String).map { String($0.prefix(1500)) }
                ?? String(decoding: reply.body.prefix(1500), as: UTF8.self)
            throw Failure(description: "WebDriver \(method) \(path): \(reply.status) \(error?["error"] as? String ?? ""): \(message)")
        }
        return value is NSNull ? nil : value
    }

    private static func encode(_ value: Any) -> Any {
        switch value {
        case let element as Element: return element.json
        case let array as [Any]: return array.map(encode)
        case let dictionary as [String: Any]: return dictionary.mapValues(encode)
        default: return value
        }
    }

    private static func decode(_ value: Any?) -> Any? {
        switch value {
        case let dictionary as [String: Any]:
            if dictionary.count == 1, let id = dictionary[Element.key] as? String { return Element(id: id) }
            return dictionary.mapValues { decode($0) ?? NSNull() }
        case let array as [Any]:
            return array.map { decode($0) ?? NSNull() }
        default:
            return value
        }
    }

    /// A port no one listens on now: bound to 0, read, closed.
    private static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw Failure(description: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        guard named == 0 else { throw Failure(description: "getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
