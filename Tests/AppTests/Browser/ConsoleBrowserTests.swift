import BeliefStore
import Beliefs
import Foundation
import Registry
import Site
import SiteDatabase
import Testing
import TestSupport

/// The console in headless Chromium against the real daemon: logging in, the dashboard's map and tiles, an
/// asset's chart and a change of its window, creating and deleting an asset through the form, uploading a
/// CSV with a bad line and then a good one, another owner's asset refused, logging out. Screenshots of each
/// page go to .build/browser-screenshots.
@Suite(.serialized) struct ConsoleBrowserTests {
    /// A site with a prosumer (a battery and solar panels with two days of measurements), another owner's
    /// battery, an admin, and a market with prices.
    struct Fixture {
        let file: TemporaryDatabase
        let daemon: RunningDaemon
        let base: String
        let solar: Asset
        let battery: Asset
        let theirs: Asset
        let yesterday: Instant

        init() async throws {
            file = try TemporaryDatabase()
            let site = Site(database: try SiteDatabase(path: file.path, migrations: SiteSchema.migrations), bcryptCost: 4, settings: Site.Settings())
            try site.registry.addStructure()
            _ = try site.registry.addUser(NewUser(username: "admin", email: "admin@example.com", password: "password-admin", roles: ["admin"]))
            let owner = try site.registry.addUser(NewUser(username: "prosumer", email: "prosumer@example.com", password: "password-prosumer", roles: ["Prosumer"]))
            let other = try site.registry.addUser(NewUser(username: "other", email: "other@example.com", password: "password-other", roles: ["Prosumer"]))
            let market = try site.registry.addMarket(NewMarket(name: "test_da", marketTypeName: "day_ahead", unit: "EUR/MWh", eventResolution: .hours(1)))
            func asset(_ name: String, _ type: String, owner: Int64, latitude: Double, soc: Bool = false) throws -> Asset {
                var fields = AssetFields(name: name, assetTypeName: type, capacityInMW: 1, eventResolution: .minutes(15),
                                         latitude: latitude, longitude: 4.89, ownerID: owner)
                fields.marketID = market.id
                if soc {
                    fields.minSOCInMWh = 0
                    fields.maxSOCInMWh = 2
                    fields.socInMWh = 1
                    fields.socDatetime = Instant.now().floored(to: .minutes(15))
                }
                return try site.registry.addAsset(fields)
            }
            let solar = try asset("solar", "solar", owner: owner.id, latitude: 52.370)
            battery = try asset("battery", "battery", owner: owner.id, latitude: 52.371, soc: true)
            theirs = try asset("theirs", "battery", owner: other.id, latitude: 52.372)
            let yesterday = Instant.now().floored(to: .days(1)) - .days(1)
            self.solar = solar
            self.yesterday = yesterday
            let measurements = (0..<96).map { slot -> Belief in
                let start: Instant = yesterday + Timespan.minutes(Int64(15 * slot))
                let value: Double = -0.5 - sin(Double(slot) / 15) / 3
                return Belief(sensorID: solar.id, eventStart: start, beliefTime: start + Timespan.minutes(20), sourceID: 0, value: value)
            }
            try await site.ingest(measurements, from: .user(id: owner.id, name: owner.username))
            let prices = (0..<72).map { hour -> Belief in
                let start: Instant = yesterday + Timespan.hours(Int64(hour))
                return Belief(sensorID: market.id, eventStart: start, beliefTime: yesterday - Timespan.hours(12), sourceID: 0, value: 40 + Double(hour % 24))
            }
            try await site.ingest(prices, from: .script(name: "prices", type: .script))
            daemon = try RunningDaemon(runner: CommandRunner(database: file.path))
            base = "http://127.0.0.1:\(daemon.port)"
        }
    }

    func logIn(_ browser: BrowserSession, _ base: String, as user: String) async throws {
        try await logIn(browser, base, email: "\(user)@example.com", password: "password-\(user)")
    }

    /// Opens the dashboard, is sent to the login page, and logs in there.
    func logIn(_ browser: BrowserSession, _ base: String, email: String, password: String) async throws {
        try await browser.navigate(to: base + "/dashboard")
        try await browser.waitUntil("the login page") { try await browser.currentURL().contains("/login") }
        try await browser.type(email, into: try await browser.find("#email"))
        try await browser.type(password, into: try await browser.find("#password"))
        try await browser.click(try await browser.find("form[action='/login'] button[type=submit]"))
        try await browser.waitUntil("the dashboard after logging in") { try await browser.currentURL().hasSuffix("/dashboard") }
    }

    func rendered(_ browser: BrowserSession, _ figure: String) async throws -> String? {
        try await browser.executeScript("const f = document.querySelector(arguments[0]); return f && f.dataset.rendered || null;", [figure]) as? String
    }

    func symbols(_ browser: BrowserSession, _ figure: String) async throws -> Int {
        try await browser.executeScript("return document.querySelectorAll(arguments[0] + ' svg g.mark-symbol.role-mark path').length;", [figure]) as? Int ?? -1
    }

    @Test func aProsumerSeesTheDashboardAndAnAssetsChartAndChangesItsWindow() async throws {
        let fixture = try await Fixture()
        defer { _ = fixture.daemon.stop() }
        let browser = try await BrowserSession()
        defer { browser.quit() }
        try await browser.navigate(to: fixture.base + "/login")
        try await browser.screenshot(named: "console-login")
        try await logIn(browser, fixture.base, as: "prosumer")

        // Tiles for the prosumer's two assets only, and the map's two points.
        #expect(try await browser.findAll(".tile").count == 2)
        #expect(try await browser.pageSource().contains("theirs") == false)
        try await browser.waitUntil("the map drawn", timeout: .seconds(15)) { try await rendered(browser, "#map") != nil }
        #expect(try await browser.executeScript("return document.querySelectorAll('#map svg g.mark-symbol.role-mark.layer_1_marks path').length;") as? Int == 2)
        try await browser.screenshot(named: "console-dashboard")

        // A day of quarter hours: 96 points; an hourly window of the same day: 24.
        let day = String(fixture.yesterday.iso8601.prefix(10))
        try await browser.navigate(to: fixture.base + "/assets/\(fixture.solar.id)?start=\(day)&end=\(day)&resolution=15")
        try await browser.waitUntil("the chart drawn", timeout: .seconds(15)) { try await rendered(browser, "#power-chart") == "96" }
        #expect(try await symbols(browser, "#power-chart") == 96)
        try await browser.screenshot(named: "console-asset")
        try await browser.executeScript("document.getElementById('resolution').value = '60';")
        try await browser.click(try await browser.find("form[data-chart-window] button[type=submit]"))
        try await browser.waitUntil("the chart redrawn hourly", timeout: .seconds(15)) { try await rendered(browser, "#power-chart") == "24" }
        #expect(try await symbols(browser, "#power-chart") == 24)
        #expect(try await browser.currentURL().contains("resolution=60"))

        // Another owner's asset is refused.
        try await browser.navigate(to: fixture.base + "/assets/\(fixture.theirs.id)")
        #expect(try await browser.text(of: try await browser.find("h1")) == "Not allowed")

        // On a phone the page still fits: nothing wider than the screen but the table wrappers.
        try await browser.setWindowSize(width: 390, height: 844)
        try await browser.navigate(to: fixture.base + "/dashboard")
        let overflow = try await browser.executeScript("return document.documentElement.scrollWidth <= window.innerWidth + 1;") as? Bool
        #expect(overflow == true)
        try await browser.screenshot(named: "console-dashboard-phone")
        try await browser.setWindowSize(width: 1280, height: 900)

        try await browser.click(try await browser.find("form[action='/logout'] button"))
        try await browser.waitUntil("the login page after logging out") { try await browser.currentURL().contains("/login") }
        try await browser.navigate(to: fixture.base + "/dashboard")
        #expect(try await browser.currentURL().contains("/login"))
    }

    @Test func anAdminCreatesAndDeletesAnAssetThroughTheForm() async throws {
        let fixture = try await Fixture()
        defer { _ = fixture.daemon.stop() }
        let browser = try await BrowserSession()
        defer { browser.quit() }
        try await logIn(browser, fixture.base, as: "admin")
        try await browser.navigate(to: fixture.base + "/assets/new")
        try await browser.type("wind-1", into: try await browser.find("#name"))
        try await browser.executeScript("document.getElementById('asset_type').value = 'wind'; document.getElementById('owner').value = '2';")
        try await browser.type("52.38", into: try await browser.find("#latitude"))
        try await browser.type("4.9", into: try await browser.find("#longitude"))
        // Without a capacity first: the form comes back with the field's message and what was typed.
        try await browser.click(try await browser.find("form.card button[type=submit]"))
        try await browser.waitUntil("the field's message") { !(try await browser.findAll("#capacity_in_mw-error")).isEmpty }
        #expect(try await browser.property("value", of: try await browser.find("#name")) as? String == "wind-1")
        try await browser.screenshot(named: "console-asset-form-error")
        try await browser.type("3", into: try await browser.find("#capacity_in_mw"))
        try await browser.click(try await browser.find("form.card button[type=submit]"))
        try await browser.waitUntil("the new asset's page") { try await browser.text(of: try await browser.find("h1")) == "wind-1" }
        let page = try await browser.currentURL()
        #expect(page.range(of: #"/assets/\d+$"#, options: .regularExpression) != nil)

        try await browser.executeScript("window.confirm = () => true;")
        try await browser.click(try await browser.find("form[action$='/delete'] button"))
        try await browser.waitUntil("the asset list") { try await browser.currentURL().hasSuffix("/assets") }
        #expect(try await browser.pageSource().contains(">wind-1<") == false)
        try await browser.screenshot(named: "console-assets")
    }

    @Test func anUploadWithABadLineStoresNothingAndAGoodOneStoresAll() async throws {
        let fixture = try await Fixture()
        defer { _ = fixture.daemon.stop() }
        let browser = try await BrowserSession()
        defer { browser.quit() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("upload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let day = fixture.yesterday - .days(3)
        let rows: [String] = (0..<4).map { index -> String in
            let start: Instant = day + Timespan.minutes(Int64(15 * index))
            return "\(start.iso8601),\(0.25 * Double(index))"
        }
        let bad = folder.appendingPathComponent("bad.csv"), good = folder.appendingPathComponent("good.csv")
        let badLine = String(rows[2].split(separator: ",")[0]) + ",lots"
        let badRows: [String] = ["event_start,value", rows[0], rows[1], badLine, rows[3]]
        try badRows.joined(separator: "\n").write(to: bad, atomically: true, encoding: .utf8)
        try (["event_start,value"] + rows).joined(separator: "\n").write(to: good, atomically: true, encoding: .utf8)

        try await logIn(browser, fixture.base, as: "prosumer")
        try await browser.navigate(to: fixture.base + "/upload")
        try await browser.executeScript("document.getElementById('sensor').value = arguments[0];", [String(fixture.battery.id)])
        try await browser.type(bad.path, into: try await browser.find("#file"))
        try await browser.click(try await browser.find("#upload-form button[type=submit]"))
        try await browser.waitUntil("the bad line named") { (try await browser.text(of: try await browser.find("#upload-result"))).contains("line 4") }
        try await browser.screenshot(named: "console-upload-error")
        let site = Site(database: try SiteDatabase(path: fixture.file.path, migrations: SiteSchema.migrations), bcryptCost: 4, settings: Site.Settings())
        #expect(try site.store.beliefs(sensorID: fixture.battery.id, from: day, to: day + .days(1)).isEmpty)

        try await browser.clear(try await browser.find("#file"))
        try await browser.type(good.path, into: try await browser.find("#file"))
        try await browser.click(try await browser.find("#upload-form button[type=submit]"))
        try await browser.waitUntil("the values stored") { (try await browser.text(of: try await browser.find("#upload-message"))).contains("Stored 4 value(s).") }
        #expect(try await browser.executeScript("return document.getElementById('upload-progress').value;") as? Int == 100)
        #expect(try site.store.beliefs(sensorID: fixture.battery.id, from: day, to: day + .days(1)).count == 4)
    }

    /// Every page of the navigation, as an admin: it renders its heading, its charts draw, the browser logs no
    /// error, and a screenshot is saved.
    @Test func everyPageRendersWithoutErrorsAndIsPhotographed() async throws {
        let fixture = try await Fixture()
        defer { _ = fixture.daemon.stop() }
        let browser = try await BrowserSession()
        defer { browser.quit() }
        try await logIn(browser, fixture.base, as: "admin")
        let links = try await browser.executeScript("return Array.from(document.querySelectorAll('header nav a')).map(a => a.getAttribute('href'));") as? [String] ?? []
        #expect(links.contains("/users"))
        #expect(links.count >= 9)
        for link in links + ["/assets/\(fixture.battery.id)", "/users/1"] {
            try await browser.navigate(to: fixture.base + link)
            let heading = try await browser.text(of: try await browser.find("h1"))
            #expect(!["Not found", "Not allowed", "Something went wrong"].contains(heading), "\(link): \(heading)")
            try await browser.waitUntil("the charts of \(link) drawn", timeout: .seconds(15)) {
                try await browser.executeScript(
                    "return Array.from(document.querySelectorAll('figure.chart')).every(f => f.dataset.rendered !== undefined || f.querySelector('.chart-error'));"
                ) as? Bool == true
            }
            let errors = try await browser.consoleMessages().filter { $0.hasPrefix("SEVERE") }
            #expect((errors.isEmpty ? [] : [link] + errors) == [])
            let name = link.dropFirst().replacingOccurrences(of: "/", with: "-")
            try await browser.screenshot(named: "console-page-\(name.isEmpty ? "root" : name)")
        }
    }

    /// A prosumer sets a state-of-charge target on the control page; the daemon's scheduling worker makes the
    /// schedule, which the page shows as a table and a chart.
    @Test func aScheduleStartedFromTheControlPageAppears() async throws {
        let fixture = try await Fixture()
        defer { _ = fixture.daemon.stop() }
        let browser = try await BrowserSession()
        defer { browser.quit() }
        try await logIn(browser, fixture.base, as: "prosumer")
        try await browser.navigate(to: fixture.base + "/control")
        try await browser.click(try await browser.find("a[href='/control/\(fixture.battery.id)']"))
        try await browser.waitUntil("the control page") { try await browser.currentURL().hasSuffix("/control/\(fixture.battery.id)") }
        let target = Instant.now().floored(to: .hours(1)) + .hours(6)
        let local = String(target.iso8601.prefix(16))
        try await browser.type("1.8", into: try await browser.find("#target_value"))
        try await browser.executeScript("document.getElementById('target_datetime').value = arguments[0];", [local])
        try await browser.click(try await browser.find("form[action='/control/\(fixture.battery.id)'] button[type=submit]"))
        try await browser.waitUntil("the schedule made by the daemon's worker", timeout: .seconds(60)) {
            try await browser.navigate(to: fixture.base + "/control/\(fixture.battery.id)")
            return try await browser.attribute("data-state", of: try await browser.find("#job-state")) == "finished"
        }
        #expect(try await browser.findAll("#plan tbody tr").count > 0)
        try await browser.waitUntil("the plan drawn", timeout: .seconds(15)) {
            (Int(try await rendered(browser, "#control-chart") ?? "0") ?? 0) > 0
        }
        try await browser.screenshot(named: "console-control")
    }

    /// The README's first lines: `flexmeasures add demo-site` beside the running daemon makes a living site that
    /// the demo account sees in the console, its battery's schedule made by the daemon's worker.
    @Test func theDemoSiteIsALivingSite() async throws {
        let file = try TemporaryDatabase()
        let runner = CommandRunner(database: file.path)
        let daemon = try RunningDaemon(runner: runner)
        defer { _ = daemon.stop() }
        let made = try runner.run(["add", "demo-site", "--password", "demo-password-1"])
        #expect(made.exitCode == 0, "\(made.stderr)")
        let browser = try await BrowserSession()
        defer { browser.quit() }
        let base = "http://127.0.0.1:\(daemon.port)"
        try await logIn(browser, base, email: "demo@flexmeasures.local", password: "demo-password-1")
        #expect(try await browser.findAll(".tile").count == 7)
        try await browser.waitUntil("the battery's next action planned", timeout: .seconds(60)) {
            try await browser.navigate(to: base + "/dashboard")
            let source = try await browser.pageSource()
            return source.contains(" MW from ")
        }
        try await browser.waitUntil("the map drawn", timeout: .seconds(15)) {
            try await browser.executeScript("const f = document.querySelector('#map'); return f && f.dataset.rendered || null;") as? String != nil
        }
        #expect(try await browser.executeScript("return document.querySelectorAll('#map svg g.mark-symbol.role-mark.layer_1_marks path').length;") as? Int == 7)
        try await browser.screenshot(named: "console-demo-dashboard")
        try await browser.navigate(to: base + "/assets")
        let pv = try await browser.executeScript("return Array.from(document.querySelectorAll('tbody a')).find(a => a.textContent.includes('Solar'))?.getAttribute('href') || null;") as? String
        let path = try #require(pv)
        try await browser.navigate(to: base + path)
        try await browser.waitUntil("the PV chart drawn", timeout: .seconds(15)) {
            (Int(try await browser.executeScript("const f = document.querySelector('#power-chart'); return f && f.dataset.rendered || '0';") as? String ?? "0") ?? 0) > 96
        }
        try await browser.screenshot(named: "console-demo-pv")
    }
}
