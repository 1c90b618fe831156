import Alerting
import Beliefs
import GRDB
import Registry
import Site
import Testing

/// The timer pass prunes: delivered notices past the retention, and silences that have ended; a bounded
/// number of each per pass.
@Suite struct AlertPruningTests {
    func count(_ table: String, _ test: TestSite) async throws -> Int {
        try await test.site.store.write { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)")! }
    }

    @Test func deliveredNoticesGoAfterTheRetentionAndUndeliveredOnesStay() async throws {
        let clock = SiteClock()
        var settings = Site.Settings()
        settings.alertNoticeRetention = .days(30)
        let test = try TestSite(settings: settings, clock: clock.now)
        _ = try await test.rule(["name": "hot", "kind": "threshold_above", "sensor_id": number(Double(test.battery.id)), "value": 1])
        try await test.measure(test.battery, [2], from: "2015-06-02T09:00:00Z")
        let delivered = try #require(try test.site.undeliveredNotices().first)
        try await test.site.markNoticesDelivered(ids: [delivered.id])
        try await test.measure(test.battery, [0], from: "2015-06-02T09:15:00Z")
        #expect(try test.site.undeliveredNotices().count == 1, "the resolved notice, never delivered")

        clock.advance(by: .days(30) - .seconds(1))
        #expect(try await test.site.evaluateAlerts().prunedNotices == 0)
        #expect(try test.site.notices().count == 2)
        clock.advance(by: .seconds(1))
        #expect(try await test.site.evaluateAlerts().prunedNotices == 1)
        #expect(try test.site.notices().map(\.id) == [delivered.id + 1], "the undelivered notice waits in the outbox")
    }

    @Test func endedSilencesGo() async throws {
        let clock = SiteClock()
        let test = try TestSite(clock: clock.now)
        _ = try await test.site.addSilence(matchers: ["alertname=hot"], for: .hours(1), comment: "", by: nil)
        let long = try await test.site.addSilence(matchers: ["alertname=cold"], for: .hours(3), comment: "", by: nil)
        clock.advance(by: .minutes(59))
        #expect(try await test.site.evaluateAlerts().prunedSilences == 0)
        clock.advance(by: .minutes(1))
        #expect(try await test.site.evaluateAlerts().prunedSilences == 1)
        #expect(try await count("alert_silence", test) == 1)
        #expect(try test.site.activeSilences().map(\.id) == [long.id])
        _ = try await test.site.expireSilence(id: long.id, by: nil)
        #expect(try await test.site.evaluateAlerts().prunedSilences == 1)
        #expect(try await count("alert_silence", test) == 0)
    }

    @Test func aBacklogIsPrunedOverSeveralPasses() async throws {
        let clock = SiteClock()
        let test = try TestSite(clock: clock.now)
        let old = (TestSite.now - .days(40)).microsecondsSinceEpoch
        let backlog = 2_500
        try await test.site.store.write { db in
            for _ in 0..<backlog {
                try db.execute(sql: """
                    INSERT INTO alert_notification (rule_id, status, labels, annotations, fingerprint, starts_at_us, created_at_us, delivered_at_us)
                    VALUES (1, 'firing', '{}', '{}', '0', ?1, ?1, ?1)
                    """, arguments: [old])
                try db.execute(sql: """
                    INSERT INTO alert_silence (matchers, starts_at_us, ends_at_us, created_at_us) VALUES ('["a=b"]', ?1, ?1 + 1, ?1)
                    """, arguments: [old])
            }
        }
        var passes: [(Int, Int)] = []
        for _ in 0..<4 {
            let report = try await test.site.evaluateAlerts()
            passes.append((report.prunedNotices, report.prunedSilences))
        }
        #expect(passes.map(\.0) == [1_000, 1_000, 500, 0])
        #expect(passes.map(\.1) == [1_000, 1_000, 500, 0])
        #expect(try await count("alert_notification", test) == 0)
    }
}
