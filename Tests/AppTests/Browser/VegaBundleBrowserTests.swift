import Foundation
import Testing
import TestSupport

/// The vendored Vega bundle as the daemon serves it, in headless Chromium: it defines its three globals and
/// nothing else, and draws a Vega-Lite chart from records inserted into the named dataset, as the console does.
@Suite(.serialized) struct VegaBundleBrowserTests {
    /// Single letters, a letter and a digit, two letters, and the bundler's own names (mod12, __default1, $t6):
    /// the names a minified module's top level declares. A classic script's top-level `const` is no property
    /// of `window`, so each name is also looked up as a global binding.
    static let leakProbe = """
        const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$".split("");
        const names = new Set(letters);
        for (const a of letters) {
          for (let d = 0; d < 100; d++) names.add(a + d);
          for (const b of letters) names.add(a + b);
        }
        for (let i = 0; i < 100; i++) { names.add("mod" + i); names.add("__default" + i); names.add("$t" + i); }
        for (const b of letters) for (let d = 0; d < 20; d++) names.add("$" + b + d);
        const bound = [];
        for (const name of names) {
          if (name in window) continue; // properties are compared apart
          try { if (new Function("return typeof " + name)() !== "undefined") bound.push(name); } catch (notAName) {}
        }
        return bound;
        """

    /// Adds a script (by URL, or inline) to the page and answers the window properties it added.
    static let addScript = """
        const done = arguments[arguments.length - 1];
        const source = arguments[0];
        const before = new Set(Object.getOwnPropertyNames(window));
        const added = () => Object.getOwnPropertyNames(window).filter(name => !before.has(name)).sort();
        const script = document.createElement("script");
        script.onload = () => done({added: added()});
        script.onerror = () => done({failed: source});
        if (source.startsWith("http")) script.src = source; else script.textContent = source;
        document.head.appendChild(script);
        if (script.textContent) done({added: added()});
        """

    @Test func bundleDefinesOnlyVegaVegaLiteAndVegaEmbed() async throws {
        let file = try TemporaryDatabase()
        let daemon = try RunningDaemon(runner: CommandRunner(database: file.path))
        defer { _ = daemon.stop() }
        let browser = try await BrowserSession()
        defer { browser.quit() }
        let base = "http://127.0.0.1:\(daemon.port)"

        // A fresh page of the daemon's origin: Chromium 156 refuses a data: page's script from 127.0.0.1
        // (local network access from an opaque origin).
        try await browser.navigate(to: base + "/api/")
        #expect(try await browser.executeScript(Self.leakProbe) as? [String] == [])
        let loaded = try await browser.executeAsyncScript(Self.addScript, [base + "/static/vendor/vega-bundle.js"]) as? [String: Any]
        #expect(loaded?["added"] as? [String] == ["vega", "vegaEmbed", "vegaLite"], "\(String(describing: loaded))")
        #expect(try await browser.executeScript(Self.leakProbe) as? [String] == [], "top-level bindings leaked")
        let versions = try await browser.executeScript("""
            return [typeof vega.changeset, vega.version, vegaLite.version, typeof vegaEmbed, typeof vegaLite.compile]
            """) as? [String]
        #expect(versions == ["function", "6.2.0", "5.21.0", "function", "function"])

        // Both checks see what a leaking bundle leaves: a function and a const at a classic script's top level.
        let leaking = try await browser.executeAsyncScript(Self.addScript, ["const t6 = 1; function mod12() {}"]) as? [String: Any]
        #expect(leaking?["added"] as? [String] == ["mod12"])
        #expect(try await browser.executeScript(Self.leakProbe) as? [String] == ["t6"])
    }

    @Test func vegaEmbedDrawsTwentyFourPointsFromTheNamedDataset() async throws {
        let file = try TemporaryDatabase()
        let daemon = try RunningDaemon(runner: CommandRunner(database: file.path))
        defer { _ = daemon.stop() }
        let browser = try await BrowserSession()
        defer { browser.quit() }
        let base = "http://127.0.0.1:\(daemon.port)"
        try await browser.show(html: """
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Vega bundle</title>
            <link rel="stylesheet" href="/static/console.css">
            <script src="/static/vendor/vega-bundle.js"></script></head>
            <body><main><h1>Power</h1><figure class="chart" id="chart"></figure></main></body></html>
            """, at: base + "/api/")
        try await browser.waitUntil("the bundle has loaded") {
            try await browser.executeScript("return typeof vegaEmbed") as? String == "function"
        }
        let outcome = try await browser.executeAsyncScript("""
            const done = arguments[arguments.length - 1];
            const records = Array.from({length: 24}, (_, hour) => ({
              start: new Date(Date.UTC(2026, 0, 1, hour)).toISOString(),
              power: Math.round(10 * Math.sin(hour / 4) * 100) / 100,
            }));
            const spec = {
              $schema: "https://vega.github.io/schema/vega-lite/v5.json",
              width: 640, height: 240, data: {name: "values"},
              mark: {type: "line", point: true},
              encoding: {
                x: {field: "start", type: "temporal", title: "Time"},
                y: {field: "power", type: "quantitative", title: "Power (kW)"},
              },
            };
            vegaEmbed(document.getElementById("chart"), spec, {renderer: "svg", actions: false})
              .then(result => result.view.change("values", vega.changeset().remove(() => true).insert(records)).runAsync())
              .then(() => done("drawn"), error => done("failed: " + error));
            """) as? String
        #expect(outcome == "drawn")

        let points = try await browser.findAll("#chart svg g.mark-symbol path")
        #expect(points.count == 24)
        #expect(try await browser.findAll("#chart svg g.mark-line path").count == 1)
        // Each point at its own place: the ISO times were parsed as times, not dropped as NaN.
        let places = try await browser.executeScript("""
            return Array.from(document.querySelectorAll("#chart svg g.mark-symbol path"), p => p.getAttribute("transform"))
            """) as? [String] ?? []
        #expect(Set(places).count == 24)
        #expect(!places.contains { $0.contains("NaN") })
        try await browser.screenshot(named: "vega-bundle-24-points")

        // A phone's window: the page sees its width.
        try await browser.setWindowSize(width: 390, height: 844)
        try await browser.waitUntil("the page is phone-sized") {
            let width = try await browser.executeScript("return window.innerWidth") as? Int
            return width.map { (300...390).contains($0) } ?? false
        }
        try await browser.screenshot(named: "vega-bundle-phone")
    }
}
