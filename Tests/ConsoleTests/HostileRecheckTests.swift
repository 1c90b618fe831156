import Beliefs
@testable import Console
import Foundation
import HTTPTypes
import NIOCore
import Registry
import Site
import Testing

/// What an outside hostile recheck of the console found, each kept from coming back.
@Suite struct HostileRecheckTests {
    @Test func aTabOrSpaceInNextCannotLeadToAnotherSite() {
        for next in ["/\t/evil.example", "/\n/evil.example", "/ /evil.example", "/\u{0B}/evil.example", "/\u{00A0}/evil.example", "/x\\y"] {
            #expect(LoginRoutes.safeNext(next) == "/dashboard", "\(next.debugDescription)")
        }
        #expect(LoginRoutes.safeNext("/assets/2?start=2026-01-01") == "/assets/2?start=2026-01-01")
    }

    @Test func scriptsGetJSONErrorsNotPagesOrRedirects() async throws {
        let console = try InProcessConsole()
        let battery = try console.id(ofAsset: "battery")
        let theirs = try console.id(ofAsset: "theirs")
        let stranger = try await console.visitor().get("/assets/\(battery)/chart/data")
        #expect(stranger.status == 401)
        #expect(stranger.headers[.contentType] == "application/json")
        #expect(stranger.text.contains("log in again"))
        let prosumer = try await console.signedIn("prosumer")
        let forbidden = try await prosumer.get("/assets/\(theirs)/chart/data")
        #expect(forbidden.status == 403)
        #expect(forbidden.headers[.contentType] == "application/json")
        #expect(forbidden.text.contains("\"message\""))
        let upload = try await prosumer.send(.post, "/upload/\(battery)", body: ByteBuffer(string: "event_start,value\n"))
        #expect(upload.status == 403)
        #expect(upload.headers[.contentType] == "application/json")
        // Pages stay pages, with the navigation of who is signed in.
        let page = try await prosumer.get("/assets/\(theirs)")
        #expect(page.status == 403)
        #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
        #expect(page.text.contains("Log out prosumer"))
        #expect(page.headers[InProcessConsoleHeader.message] == nil)
    }

    @Test func aHugeBadLineIsQuotedShortAndSpreadsheetCSVsAreRead() async throws {
        let console = try InProcessConsole()
        let cs1 = try console.id(ofAsset: "cs1")
        let prosumer = try await console.signedIn("prosumer")
        let csrf = try #require(prosumer.csrfToken)
        let huge = "event_start,value\n2026-01-01T00:00:00+00:00," + String(repeating: "<", count: 100_000) + "\n"
        let bad = try await prosumer.send(.post, "/upload/\(cs1)", headers: [.init("X-CSRF-Token")!: csrf], body: ByteBuffer(string: huge))
        #expect(bad.status == 422)
        #expect(bad.body.count < 2_000)
        let excel = "\u{FEFF}\"event_start\",\"value\"\r\n2026-01-01T00:00:00+00:00,1.5\r\n2026-01-01T00:15:00+00:00,1.25\r\n"
        let good = try await prosumer.send(.post, "/upload/\(cs1)?horizon=-PT5M", headers: [.init("X-CSRF-Token")!: csrf], body: ByteBuffer(string: excel))
        #expect(good.status == 200, "\(good.text)")
        #expect(good.text.contains("\"stored\": 2"))
        // A pasted file that fails comes back to be mended.
        let pasted = try await prosumer.post("/upload", form: ["sensor": String(cs1), "csv": "event_start,value\nnot a time,1\n", "horizon": "-PT5M"])
        #expect(pasted.status == 422)
        #expect(pasted.text.contains("not a time,1"))
        #expect(pasted.text.contains("value=\"-PT5M\""))
    }

    @Test func anAdminSetsAPasswordAfterAResetAndBlankPasswordsAreRefused() async throws {
        let console = try InProcessConsole()
        let other = try #require(try console.site.registry.user(email: "other@example.com"))
        let admin = try await console.signedIn("admin")
        #expect(try await admin.post("/users/\(other.id)/reset-password", form: [:]).status == 303)
        let blank = try await admin.post("/users/\(other.id)/password", form: ["password": "        ", "repeat": "        "])
        #expect(blank.status == 422)
        #expect(blank.text.contains("id=\"password-error\""))
        let set = try await admin.post("/users/\(other.id)/password", form: ["password": "a-new-password", "repeat": "a-new-password"])
        #expect(set.status == 303)
        #expect(try await admin.get(try #require(set.location)).text.contains("The password of other is set"))
        // One's own password is changed on the account page, with the current one.
        let me = try #require(try console.site.registry.user(email: "admin@example.com"))
        #expect(try await admin.post("/users/\(me.id)/password", form: ["password": "a-new-password", "repeat": "a-new-password"]).status == 403)
        #expect(try await console.visitor().login(email: "other@example.com", password: "a-new-password").status == 303)
        let prosumer = try await console.signedIn("prosumer")
        #expect(try await prosumer.post("/users/\(other.id)/password", form: ["password": "mine-now-123", "repeat": "mine-now-123"]).status == 403)
        #expect(!(try await prosumer.get("/dashboard").text.contains("href=\"/tasks\"")))
    }

    @Test func guessingTheCurrentPasswordIsSlowedDown() async throws {
        let console = try InProcessConsole(frozenAt: Instant.now())
        let prosumer = try await console.signedIn("prosumer")
        var statuses: [Int] = []
        for _ in 0..<7 {
            statuses.append(try await prosumer.post("/account/password", form: ["current": "guess", "password": "new-password-1", "repeat": "new-password-1"]).status)
        }
        #expect(statuses.prefix(5).allSatisfy { $0 == 422 })
        #expect(statuses.last == 429)
    }

    @Test func weakValidatorsAndStarMatchTheStaticFilesETag() async throws {
        let console = try InProcessConsole()
        let visitor = console.visitor()
        let file = try #require(StaticFiles.all["console.css"])
        for tag in [file.etag, "W/" + file.etag, "*", "\"other\", W/\(file.etag)"] {
            #expect(try await visitor.get("/static/console.css", headers: [.ifNoneMatch: tag]).status == 304, "\(tag)")
        }
        let fresh = try await visitor.get("/static/console.css", headers: [.ifNoneMatch: "\"other\""])
        #expect(fresh.status == 200)
        #expect(fresh.headers[.init("X-Content-Type-Options")!] == "nosniff")
    }

    @Test func retryingAJobThatDoesNotExistIsNotFound() async throws {
        let console = try InProcessConsole()
        let admin = try await console.signedIn("admin")
        #expect(try await admin.post("/tasks/99999999/retry", form: [:]).status == 404)
    }

    /// One schedule at a time per device: a request while the last one is still queued is refused.
    @Test func schedulesCannotPileUp() async throws {
        let console = try InProcessConsole()
        let battery = try #require(try console.site.registry.asset(named: "battery"))
        var fields = battery.fields
        fields.socInMWh = 1
        fields.socDatetime = Instant.now().floored(to: .minutes(15))
        _ = try console.site.registry.updateAsset(id: battery.id, to: fields)
        let prosumer = try await console.signedIn("prosumer")
        let target = String((Instant.now().floored(to: .hours(1)) + .hours(6)).iso8601.prefix(16))
        #expect(try await prosumer.post("/control/\(battery.id)", form: ["target_value": "2", "target_datetime": target]).status == 303)
        let again = try await prosumer.post("/control/\(battery.id)", form: ["target_value": "3", "target_datetime": target])
        #expect(again.status == 422)
        #expect(again.text.contains("still being made"))
        #expect(try await console.site.jobs.jobs(queue: .scheduling).count == 1)
    }

    /// The second recheck's small ones: an odd spelling of an asset id keeps the form's selection, an unknown kind
    /// of weather is said, and a control target takes decimal numbers only.
    @Test func oddSpellingsAreNormalisedOrSaid() async throws {
        let console = try InProcessConsole()
        let battery = try #require(try console.site.registry.asset(named: "battery"))
        let prosumer = try await console.signedIn("prosumer")
        let odd = try await prosumer.get("/analytics?assets=%2B\(battery.id)")
        #expect(odd.text.contains("<option value=\"\(battery.id)\" selected>"))
        let weather = try await prosumer.get("/analytics?weather=%3Cscript%3E")
        #expect(weather.text.contains("id=\"weather-error\""))
        #expect(!weather.text.contains("<script>"))
        var fields = battery.fields
        fields.socInMWh = 1
        fields.socDatetime = Instant.now().floored(to: .minutes(15))
        _ = try console.site.registry.updateAsset(id: battery.id, to: fields)
        let target = String((Instant.now().floored(to: .hours(1)) + .hours(6)).iso8601.prefix(16))
        for value in ["0x0.1p1", "nan", "inf"] {
            let reply = try await prosumer.post("/control/\(battery.id)", form: ["target_value": value, "target_datetime": target])
            #expect(reply.status == 422, "\(value)")
        }
        #expect(try await console.site.jobs.jobs(queue: .scheduling).isEmpty)
    }

    /// The analytics window is bounded even when no asset is chosen: it sizes every series laid on its grid.
    @Test func anAnalyticsWindowIsBoundedWithoutAssets() async throws {
        let console = try InProcessConsole()
        let start = Instant.epoch, end = try Instant.parseISO8601("2200-01-01T00:00:00Z")
        await #expect(throws: ChartError.self) {
            _ = try await console.site.analytics(of: [], from: start, to: end, resolution: .minutes(1), horizon: .hours(1), weatherType: "temperature")
        }
    }
}

enum InProcessConsoleHeader {
    static let message = HTTPField.Name("X-Console-Message")!
}
