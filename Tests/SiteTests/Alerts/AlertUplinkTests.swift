import Alerting
import Beliefs
import Site
import SiteDatabase
import Testing

/// `uplink_stuck` on the timer: it fires once the oldest change waiting for the fleet uplink has waited longer
/// than the rule's duration, says how much waits and why, resolves once the backlog is forwarded, and never
/// fires on a site without an uplink.
@Suite struct AlertUplinkTests {
    @Test func aStuckUplinkFiresPastItsDurationAndResolvesOnceTheBacklogIsForwarded() async throws {
        let clock = SiteClock()
        let test = try TestSite(clock: clock.now)
        let rule = try await test.rule(["name": "uplink stuck", "kind": "uplink_stuck", "duration": "PT30M"])
        #expect(rule.condition == .uplinkStuck(duration: .minutes(30)))
        #expect(rule.json == .object([
            "id": .number(Double(rule.id)), "name": "uplink stuck", "kind": "uplink_stuck", "sensor_id": .null, "asset_type": .null,
            "severity": "warning", "for": "PT0S", "repeat_interval": "PT4H", "enabled": .bool(true), "created_by": "cli", "duration": "PT30M",
        ]))
        #expect(try test.site.startUplinkJournal())
        try await test.measure(test.battery, [1, 2, 3], from: "2015-06-02T09:00:00Z")
        let stream = try #require(try test.site.store.journalStream())

        clock.advance(by: .minutes(30))
        _ = try await test.site.evaluateAlerts()
        #expect(try test.site.alerts(visibleTo: nil).isEmpty, "waiting exactly the duration is not longer than it")

        try await test.site.store.markForwardingFailed("connection refused by central.example:5432", streamID: stream.id, at: clock.now())
        clock.advance(by: .minutes(1))
        let report = try await test.site.evaluateAlerts()
        #expect(report.notices == 1)
        let alert = try test.onlyAlert()
        #expect(alert.state == .firing)
        #expect(alert.kind == .uplinkStuck)
        #expect(alert.value == 1860)
        #expect(alert.labels == ["alertname": "uplink stuck", "rule_id": String(rule.id), "severity": "warning", "kind": "uplink_stuck"])
        let status = try #require(try test.site.uplinkStatus())
        #expect(status.backlogBeliefs == 4, "the journal's opening deletion and three beliefs")
        let firing = try #require(try test.site.notices().first).notice
        #expect(firing.annotations["summary"] == "uplink stuck: the site uplink behind by more than PT30M")
        let description = firing.annotations["description"] ?? ""
        #expect(description.contains("Last value: 1860.0."), "\(description)")
        #expect(description.contains("4 beliefs (2 changes) wait to be forwarded, the oldest stored at 2015-06-02T10:00:00Z."), "\(description)")
        #expect(description.contains("Last error: connection refused by central.example:5432."), "\(description)")

        // The receiver takes everything: the backlog is gone and the alert resolves at the next pass.
        let backlog = try test.site.store.journalBacklog(after: 0)
        #expect(try await test.site.store.markForwarded(through: backlog.lastSequence, beliefs: backlog.beliefs, streamID: stream.id, at: clock.now()))
        clock.advance(by: .minutes(1))
        _ = try await test.site.evaluateAlerts()
        let resolved = try test.onlyAlert()
        #expect(resolved.state == .resolved)
        #expect(resolved.value == 0)
        let notices = try test.site.notices().map(\.notice)
        #expect(notices.map(\.status) == [.resolved, .firing])
        #expect(notices[0].annotations["description"]?.contains("Nothing waits to be forwarded. Last forwarded at 2015-06-02T10:31:00Z.") == true,
                "\(notices[0].annotations)")
    }

    @Test func withoutAnUplinkTheRuleNeverFiresAndWritesNothing() async throws {
        let clock = SiteClock()
        let test = try TestSite(clock: clock.now)
        _ = try await test.rule(["name": "uplink stuck", "kind": "uplink_stuck", "duration": "PT1M"])
        try await test.measure(test.battery, [1, 2, 3], from: "2015-06-02T09:00:00Z")
        for _ in 0..<3 {
            clock.advance(by: .hours(1))
            let report = try await test.site.evaluateAlerts()
            #expect(report.notices == 0)
        }
        #expect(try test.site.uplinkStatus() == nil)
        #expect(try test.site.alerts(visibleTo: nil).isEmpty)
        #expect(try test.site.notices().isEmpty)
    }

    @Test func switchingTheUplinkOffResolvesAFiringAlert() async throws {
        let clock = SiteClock()
        let test = try TestSite(clock: clock.now)
        _ = try await test.rule(["name": "uplink stuck", "kind": "uplink_stuck", "duration": "PT5M"])
        try test.site.startUplinkJournal()
        clock.advance(by: .minutes(6))
        _ = try await test.site.evaluateAlerts()
        #expect(try test.onlyAlert().state == .firing)
        try test.site.stopUplinkJournal()
        _ = try await test.site.evaluateAlerts()
        #expect(try test.onlyAlert().state == .resolved)
        #expect(try test.site.notices().first?.notice.annotations["description"]?.hasSuffix("No uplink is configured.") == true)
    }

    @Test func aRestartGivesTheUplinkAWholeDurationToCatchUp() async throws {
        let clock = SiteClock()
        let test = try TestSite(clock: clock.now)
        _ = try await test.rule(["name": "uplink stuck", "kind": "uplink_stuck", "duration": "PT30M"])
        try test.site.startUplinkJournal()
        clock.advance(by: .hours(5))
        let restarted = Site(database: try SiteDatabase(path: test.file.path, migrations: SiteSchema.migrations), bcryptCost: 4, settings: Site.Settings(), clock: clock.now)
        _ = try await restarted.evaluateAlerts()
        #expect(try restarted.alerts(visibleTo: nil).isEmpty, "the backlog waited 5 hours, but the site only just started")
        clock.advance(by: .minutes(31))
        _ = try await restarted.evaluateAlerts()
        #expect(try restarted.alerts(visibleTo: nil).map(\.state) == [.firing])
    }
}
