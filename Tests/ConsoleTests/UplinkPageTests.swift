import Beliefs
@testable import Console
import Foundation
import Registry
import Site
import Testing

/// The uplink page: for whoever sees the dashboard, what waits and since when, the last success, attempt and
/// error (escaped), or without an uplink how to configure one.
@Suite struct UplinkPageTests {
    static let hostileError = #"forwarding to postgres://fleet@central:5432/fleet: the server said <script>alert("x")</script> & more"#

    /// Starts the uplink journal of `console`'s site and stores two measurements of the battery after it.
    static func startWithBacklog(_ console: InProcessConsole) async throws -> String {
        #expect(try console.site.startUplinkJournal())
        let battery = try #require(try console.site.registry.asset(named: "battery"))
        let owner = try #require(try console.site.registry.user(email: "prosumer@example.com"))
        let start = console.now.floored(to: .minutes(15)) - .hours(2)
        let beliefs = (0..<2).map { slot in
            Belief(sensorID: battery.id, eventStart: start + .minutes(Int64(15 * slot)), beliefTime: start + .minutes(Int64(15 * slot + 15)), sourceID: 0, value: 1)
        }
        _ = try await console.site.ingest(beliefs, from: .user(id: owner.id, name: owner.username))
        return try #require(try console.site.uplinkStatus()).streamID
    }

    @Test func withoutAnUplinkThePageSaysHowToConfigureOne() async throws {
        let console = try InProcessConsole()
        let page = try await console.signedIn("admin").get("/uplink")
        #expect(page.status == 200)
        #expect(page.text.contains("No uplink is configured"), "\(page.text)")
        for setting in ["FLEXMEASURES_UPLINK_URL", "FLEXMEASURES_UPLINK_SITE", "FLEXMEASURES_UPLINK_PASSWORD_FILE", "flexmeasures uplink init"] {
            #expect(page.text.contains(setting), "\(setting)")
        }
        #expect(!page.text.contains("data-uplink=\"backlog\""))
    }

    @Test func whoeverSeesTheDashboardSeesTheUplinkAndItsMenuEntry() async throws {
        let console = try InProcessConsole()
        let stranger = try await console.visitor().get("/uplink")
        #expect(stranger.status == 303)
        #expect(stranger.location?.hasPrefix("/login?next=") == true, "\(stranger.location ?? "")")
        for user in ["admin", "prosumer"] {
            let visitor = try await console.signedIn(user)
            let dashboard = try await visitor.get("/dashboard")
            #expect(dashboard.text.contains("<a href=\"/uplink\">Uplink</a>"), "\(user)")
            let page = try await visitor.get("/uplink")
            #expect(page.status == 200, "\(user)")
            #expect(page.text.contains("<a href=\"/uplink\" aria-current=\"page\">Uplink</a>"), "\(user)")
        }
    }

    @Test func thePageShowsTheBacklogAndEscapesTheLastError() async throws {
        let now = Instant(secondsSinceEpoch: 1_780_000_000)
        let console = try InProcessConsole(frozenAt: now)
        let stream = try await Self.startWithBacklog(console)
        try await console.site.store.markForwardingFailed(Self.hostileError, streamID: stream, at: now)
        let page = try await console.signedIn("prosumer").get("/uplink")
        #expect(page.status == 200)
        let text = page.text
        #expect(text.contains("Failing"))
        #expect(text.contains("<dd data-uplink=\"backlog\">3 belief(s) in 2 change(s)</dd>"), "\(text)")
        #expect(text.contains("nothing waits") == false)
        #expect(text.contains("<dd data-uplink=\"last-success\">never</dd>"))
        #expect(text.contains("<time datetime=\"\(now.iso8601)\" data-local>\(Formatting.readable(now))</time>"))
        #expect(text.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more"), "\(text)")
        #expect(!text.contains("<script>alert"))
        #expect(text.contains("<code>\(stream)</code>"))
        #expect(!text.contains("No uplink is configured"))
    }

    @Test func thePageShowsTheLastSuccessAndNothingWaiting() async throws {
        let now = Instant(secondsSinceEpoch: 1_780_000_000)
        let console = try InProcessConsole(frozenAt: now)
        let stream = try await Self.startWithBacklog(console)
        let last = try console.site.store.journalBacklog(after: 0).lastSequence
        #expect(try await console.site.store.markForwarded(through: last, beliefs: 3, streamID: stream, at: now))
        let text = try await console.signedIn("admin").get("/uplink").text
        #expect(text.contains("Forwarding"))
        #expect(text.contains("<dd data-uplink=\"backlog\">0 belief(s) in 0 change(s)</dd>"), "\(text)")
        #expect(text.contains("nothing waits"))
        #expect(text.contains("<dd data-uplink=\"last-error\">none</dd>"))
        #expect(text.contains("<dd data-uplink=\"forwarded\">3 belief(s) in this stream</dd>"))
    }

    @Test(arguments: [
        (Timespan.zero, "0 s"), (.seconds(59), "59 s"), (.seconds(61), "1 min"), (.minutes(192), "3 h 12 min"),
        (.hours(50), "2 days 2 h"), (.seconds(-5), "0 s"),
    ])
    func backlogAgesReadAsAPersonSaysThem(span: Timespan, text: String) {
        #expect(Formatting.age(span) == text)
    }
}
