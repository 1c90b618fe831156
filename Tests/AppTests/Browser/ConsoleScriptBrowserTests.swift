import Foundation
import Testing
import TestSupport

/// console.js in headless Chromium, on a page of the test's own at the daemon's origin whose fetch answers the
/// chart's spec and data URLs: the contract the console's templates rely on.
@Suite(.serialized) struct ConsoleScriptBrowserTests {
    static let page = """
        <!doctype html><html lang="en"><head><meta charset="utf-8"><title>console.js</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="stylesheet" href="/static/console.css">
        <script>
        window.marker = "same page";
        window.requests = [];
        const testSpec = {
          $schema: "https://vega.github.io/schema/vega-lite/v5.json",
          width: 600, height: 220, data: {name: "values"},
          mark: {type: "line", point: true},
          encoding: {x: {field: "start", type: "temporal"}, y: {field: "power", type: "quantitative"}},
        };
        const realFetch = window.fetch.bind(window);
        window.fetch = function (url, options) {
          const target = new URL(url, location.href);
          requests.push({path: target.pathname, query: target.search, credentials: (options || {}).credentials || ""});
          const reply = (body, status) => Promise.resolve(new Response(JSON.stringify(body), {status: status, headers: {"Content-Type": "application/json"}}));
          if (target.pathname === "/test/spec") return reply(testSpec, 200);
          if (target.pathname === "/test/data") {
            const points = Number(target.searchParams.get("points"));
            if (!(points >= 0)) return reply({message: "points must be a number of at least 0"}, 422);
            return reply(Array.from({length: points}, (_, hour) => ({start: new Date(Date.UTC(2026, 0, 1, hour)).toISOString(), power: hour % 7})), 200);
          }
          if (target.pathname === "/test/broken") return Promise.resolve(new Response("the store is closed", {status: 503}));
          return realFetch(url, options);
        };
        </script>
        <script src="/static/vendor/vega-bundle.js"></script>
        <script src="/static/console.js"></script>
        </head><body><main>
        <figure class="chart" id="power" data-spec-url="/test/spec" data-data-url="/test/data?points=24&amp;unit=kW">
          <figcaption>Power</figcaption></figure>
        <form id="window" data-chart-window="power" method="get" action="/test/navigated">
          <label>Points <input name="points" value="24"></label> <button type="submit">Show</button></form>
        <figure class="chart" id="broken" data-spec-url="/test/spec" data-data-url="/test/broken"></figure>
        <form id="delete" data-confirm="Delete the asset?" method="get" action="/test/deleted"><button type="submit">Delete</button></form>
        <p>Last data <time id="when" datetime="2026-01-01T12:00:00Z" data-local>2026-01-01T12:00:00Z</time></p>
        </main></body></html>
        """

    struct Request: Equatable {
        let path: String
        let query: String
        let credentials: String
    }

    func requests(_ browser: BrowserSession) async throws -> [Request] {
        let list = try await browser.executeScript("return window.requests") as? [[String: Any]] ?? []
        return list.map { Request(path: $0["path"] as? String ?? "", query: $0["query"] as? String ?? "", credentials: $0["credentials"] as? String ?? "") }
    }

    func rendered(_ browser: BrowserSession) async throws -> String? {
        try await browser.attribute("data-rendered", of: try await browser.find("#power"))
    }

    @Test func chartsDrawTheirRecordsAndAWindowChangeFetchesOnlyData() async throws {
        let file = try TemporaryDatabase()
        let daemon = try RunningDaemon(runner: CommandRunner(database: file.path))
        defer { _ = daemon.stop() }
        let browser = try await BrowserSession()
        defer { browser.quit() }
        let base = "http://127.0.0.1:\(daemon.port)"
        try await browser.show(html: Self.page, at: base + "/api/")

        try await browser.waitUntil("the chart shows 24 records") { try await rendered(browser) == "24" }
        #expect(try await browser.findAll("#power svg g.mark-symbol path").count == 24)
        #expect(try await browser.findAll("#power figcaption").count == 1, "the caption stays")
        var seen = try await requests(browser)
        #expect(seen.filter { $0.path == "/test/spec" }.count == 1, "one spec for two figures: \(seen)")
        #expect(seen.filter { $0.path == "/test/data" } == [Request(path: "/test/data", query: "?points=24&unit=kW", credentials: "same-origin")])
        #expect(seen.allSatisfy { $0.credentials == "same-origin" })
        try await browser.screenshot(named: "console-js-chart")

        // A new window: only the data again, with the form's fields replacing the URL's, and the address bar too.
        let points = try await browser.find("#window input[name=points]")
        try await browser.clear(points)
        try await browser.type("12", into: points)
        try await browser.click(try await browser.find("#window button"))
        try await browser.waitUntil("the chart shows 12 records") { try await rendered(browser) == "12" }
        #expect(try await browser.findAll("#power svg g.mark-symbol path").count == 12)
        seen = try await requests(browser)
        #expect(seen.filter { $0.path == "/test/spec" }.count == 1)
        #expect(seen.filter { $0.path == "/test/data" }.last?.query == "?unit=kW&points=12")
        let address = try await browser.currentURL()
        #expect(address == base + "/api/?points=12")
        #expect(try await browser.executeScript("return window.marker") as? String == "same page")
        try await browser.screenshot(named: "console-js-window-changed")

        // A refused window: the server's message shown, the chart kept; the next good window clears it.
        try await browser.clear(points)
        try await browser.type("many", into: points)
        try await browser.click(try await browser.find("#window button"))
        try await browser.waitUntil("the error is shown") { try await browser.findAll("#power .chart-error").count == 1 }
        let error = try await browser.find("#power p.chart-error[role=alert]")
        #expect(try await browser.text(of: error) == "points must be a number of at least 0")
        #expect(try await rendered(browser) == "12")
        #expect(try await browser.findAll("#power svg g.mark-symbol path").count == 12)
        try await browser.clear(points)
        try await browser.type("6", into: points)
        try await browser.click(try await browser.find("#window button"))
        try await browser.waitUntil("the chart shows 6 records") { try await rendered(browser) == "6" }
        #expect(try await browser.findAll("#power .chart-error").isEmpty)

        // A text answer's body is the message.
        try await browser.waitUntil("the broken chart says why") {
            try await browser.findAll("#broken p.chart-error").count == 1
        }
        #expect(try await browser.text(of: try await browser.find("#broken p.chart-error")) == "the store is closed")
    }

    @Test func formsAskBeforeSubmittingAndTimesShowLocally() async throws {
        let file = try TemporaryDatabase()
        let daemon = try RunningDaemon(runner: CommandRunner(database: file.path))
        defer { _ = daemon.stop() }
        let browser = try await BrowserSession()
        defer { browser.quit() }
        let base = "http://127.0.0.1:\(daemon.port)"
        try await browser.show(html: Self.page, at: base + "/api/")
        try await browser.waitUntil("console.js has run") {
            try await browser.executeScript("return typeof window.consoleCharts") as? String == "object"
        }

        let when = try await browser.find("#when")
        #expect(try await browser.attribute("title", of: when) == "2026-01-01T12:00:00Z")
        let shown = try await browser.text(of: when)
        #expect(shown != "2026-01-01T12:00:00Z" && shown.contains("2026"), "\(shown)")

        try await browser.executeScript("window.asked = []; window.confirm = question => { asked.push(question); return false; };")
        try await browser.click(try await browser.find("#delete button"))
        #expect(try await browser.executeScript("return window.asked") as? [String] == ["Delete the asset?"])
        #expect(try await browser.executeScript("return window.marker") as? String == "same page")
        // Said yes, the same form goes.
        try await browser.executeScript("window.confirm = () => true;")
        try await browser.click(try await browser.find("#delete button"))
        try await browser.waitUntil("the form was submitted") { try await browser.currentURL().hasPrefix(base + "/test/deleted") }
    }
}
