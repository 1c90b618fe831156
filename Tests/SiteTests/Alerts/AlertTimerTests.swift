import Alerting
import Beliefs
import GRDB
import Jobs
import Registry
import Site
import SiteDatabase
import Testing

/// The timer's rules (gaps, jobs, workers, sources) with a clock the test moves, and the grace period
/// after a start.
@Suite struct AlertTimerTests {
    @Test func gapOfThreeResolutionsFiresForASensorThatNeverHadDataAfterTheGracePeriod() async throws {
        let clock = SiteClock()
        let test = try TestSite(clock: clock.now)
        let defaults = try await test.site.addDefaultAlertRules(assetType: "battery", by: nil)
        #expect(defaults.map(\.name) == ["battery data gap"])
        #expect(try await test.site.addDefaultAlertRules(assetType: "battery", by: nil).isEmpty)
        clock.advance(by: .minutes(44))
        _ = try await test.site.evaluateAlerts()
        #expect(try test.site.alerts(visibleTo: nil).isEmpty)
        clock.advance(by: .minutes(1))
        let report = try await test.site.evaluateAlerts()
        #expect(report.notices == 1)
        let alert = try test.onlyAlert()
        #expect(alert.state == .firing)
        #expect(alert.labels["asset"] == "battery")
        let notice = try #require(try test.site.notices().first)
        #expect(notice.notice.annotations["description"]?.contains("never had data") == true)

        // Data ends the gap at once, on ingest.
        try await test.measure(test.battery, [1], from: "2015-06-02T10:30:00Z")
        #expect(try test.onlyAlert().state == .resolved)
        #expect(try test.site.notices().map(\.notice.status) == [.resolved, .firing])
        clock.advance(by: .minutes(44))
        _ = try await test.site.evaluateAlerts()
        #expect(try test.onlyAlert().state == .resolved)
        clock.advance(by: .minutes(1))
        _ = try await test.site.evaluateAlerts()
        #expect(try test.onlyAlert().state == .firing)
    }

    @Test func aRestartAfterDowntimeWaitsAWholeGapBeforeCallingASensorSilent() async throws {
        let clock = SiteClock()
        let test = try TestSite(clock: clock.now)
        _ = try await test.rule(["name": "gap", "kind": "gap", "sensor_id": number(Double(test.battery.id)), "duration": "PT30M"])
        try await test.measure(test.battery, [1], from: "2015-06-02T09:45:00Z")
        clock.advance(by: .hours(5))
        let restarted = Site(database: try SiteDatabase(path: test.file.path, migrations: SiteSchema.migrations), bcryptCost: 4, settings: Site.Settings(), clock: clock.now)
        _ = try await restarted.evaluateAlerts()
        #expect(try restarted.alerts(visibleTo: nil).isEmpty, "data came 5 hours ago, but the site only just started watching")
        clock.advance(by: .minutes(30))
        _ = try await restarted.evaluateAlerts()
        #expect(try restarted.alerts(visibleTo: nil).map(\.state) == [.firing])
        #expect(try restarted.notices().first?.notice.annotations["description"]?.contains("last received at 2015-06-02T10:00:00Z") == true)
    }

    @Test func gapHoldsForItsForBeforeFiring() async throws {
        let clock = SiteClock()
        let test = try TestSite(clock: clock.now)
        _ = try await test.rule(["name": "gap", "kind": "gap", "sensor_id": number(Double(test.solar.id)), "duration": "PT15M", "for": "PT10M"])
        clock.advance(by: .minutes(15))
        _ = try await test.site.evaluateAlerts()
        #expect(try test.onlyAlert().state == .pending)
        clock.advance(by: .minutes(9))
        _ = try await test.site.evaluateAlerts()
        #expect(try test.onlyAlert().state == .pending)
        clock.advance(by: .minutes(1))
        _ = try await test.site.evaluateAlerts()
        #expect(try test.onlyAlert().state == .firing)
    }

    @Test func failedJobFiresUntilItsLookbackHasPassed() async throws {
        let clock = SiteClock()
        let test = try TestSite(clock: clock.now)
        _ = try await test.rule(["name": "failed forecasts", "kind": "job_failed", "queue": "forecasting", "duration": "PT1H"])
        _ = try await test.site.evaluateAlerts()
        #expect(try test.site.alerts(visibleTo: nil).isEmpty)
        try await test.site.store.write { db in
            try db.execute(sql: """
                INSERT INTO job (queue, kind, payload, status, error, created_at_us, finished_at_us) VALUES ('forecasting', 'forecast', '{}', 'failed', 'boom', ?, ?)
                """, arguments: [TestSite.now.microsecondsSinceEpoch, TestSite.now.microsecondsSinceEpoch])
        }
        _ = try await test.site.evaluateAlerts()
        let alert = try test.onlyAlert()
        #expect(alert.state == .firing)
        #expect(alert.labels["queue"] == "forecasting")
        clock.advance(by: .minutes(61))
        _ = try await test.site.evaluateAlerts()
        #expect(try test.onlyAlert().state == .resolved)
    }

    @Test func overdueJobAndDeadWorker() async throws {
        let clock = SiteClock()
        let test = try TestSite(clock: clock.now)
        _ = try await test.rule(["name": "late", "kind": "job_overdue", "queue": "scheduling", "duration": "PT5M"])
        _ = try await test.rule(["name": "worker", "kind": "worker_dead"])
        // The job queue keeps its own (real) clock: the job is put in at the site clock's time by hand.
        try await test.site.store.write { db in
            try db.execute(sql: "INSERT INTO job (queue, kind, payload, created_at_us) VALUES ('scheduling', 'schedule', '{}', ?)",
                           arguments: [TestSite.now.microsecondsSinceEpoch])
        }
        _ = try await test.site.evaluateAlerts(workers: [.scheduling: true, .forecasting: false])
        var states = try test.site.alerts(visibleTo: nil).map { "\($0.ruleName) \($0.labels["queue"]!) \($0.state)" }.sorted()
        #expect(states == ["worker forecasting firing"])
        clock.advance(by: .minutes(5))
        _ = try await test.site.evaluateAlerts(workers: [.scheduling: true, .forecasting: true])
        states = try test.site.alerts(visibleTo: nil).map { "\($0.ruleName) \($0.labels["queue"]!) \($0.state)" }.sorted()
        #expect(states == ["late scheduling firing", "worker forecasting resolved"])
    }

    @Test func silentDataSource() async throws {
        let clock = SiteClock()
        let test = try TestSite(clock: clock.now)
        _ = try await test.rule(["name": "gateway", "kind": "source_silent", "duration": "PT1H"])
        try await test.measure(test.battery, [1], from: "2015-06-02T09:45:00Z")
        clock.advance(by: .minutes(59))
        _ = try await test.site.evaluateAlerts()
        #expect(try test.site.alerts(visibleTo: nil).isEmpty)
        clock.advance(by: .minutes(1))
        _ = try await test.site.evaluateAlerts()
        let alert = try test.onlyAlert()
        #expect(alert.state == .firing)
        #expect(alert.labels["source"] == "prosumer")
    }

    @Test func deletingARuleTellsItsFiringAlertsResolved() async throws {
        let test = try TestSite()
        let rule = try await test.rule(["name": "hot", "kind": "threshold_above", "sensor_id": number(Double(test.battery.id)), "value": 1])
        try await test.measure(test.battery, [2], from: "2015-06-02T09:00:00Z")
        try await test.site.deleteAlertRule(id: rule.id, by: nil)
        #expect(try test.site.alerts(visibleTo: nil).isEmpty)
        #expect(try test.site.notices().map(\.notice.status) == [.resolved, .firing])
        #expect(try test.site.undeliveredNotices().count == 2)
        try await test.site.markNoticesDelivered(ids: try test.site.undeliveredNotices().map(\.id))
        #expect(try test.site.undeliveredNotices().isEmpty)
    }
}

extension AlertTimerTests {
    @Test func forecastsEndNoGap() async throws {
        let clock = SiteClock()
        let test = try TestSite(clock: clock.now)
        _ = try await test.rule(["name": "gap", "kind": "gap", "sensor_id": number(Double(test.battery.id)), "duration": "PT30M"])
        clock.advance(by: .minutes(20))
        let forecast = Belief(sensorID: test.battery.id, eventStart: instant("2015-06-02T12:00:00Z"), beliefTime: instant("2015-06-02T10:20:00Z"), sourceID: 0, value: 1)
        try await test.site.ingest([forecast], from: .script(name: "flexmeasures forecaster", type: .forecaster))
        clock.advance(by: .minutes(10))
        _ = try await test.site.evaluateAlerts()
        #expect(try test.onlyAlert().state == .firing)
    }

    @Test func alertsOfADeletedSensorAreToldResolvedAndRemoved() async throws {
        let test = try TestSite()
        _ = try await test.rule(["name": "hot anywhere", "kind": "threshold_above", "value": 1])
        try await test.measure(test.solar, [2], from: "2015-06-02T09:00:00Z")
        #expect(try test.onlyAlert().state == .firing)
        try test.site.registry.deleteAsset(id: test.solar.id)
        _ = try await test.site.evaluateAlerts()
        #expect(try test.site.alerts(visibleTo: nil).isEmpty)
        #expect(try test.site.notices().map(\.notice.status) == [.resolved, .firing])
    }
}

extension AlertTimerTests {
    @Test func aFiringGapSurvivesARestartWithoutResolvingOrFiringAgain() async throws {
        let clock = SiteClock()
        let test = try TestSite(clock: clock.now)
        _ = try await test.rule(["name": "gap", "kind": "gap", "sensor_id": number(Double(test.battery.id)), "duration": "PT30M"])
        try await test.measure(test.battery, [1], from: "2015-06-02T09:45:00Z")
        clock.advance(by: .minutes(30))
        _ = try await test.site.evaluateAlerts()
        #expect(try test.onlyAlert().state == .firing)
        #expect(try test.site.notices().count == 1)

        clock.advance(by: .minutes(5))
        let restarted = Site(database: try SiteDatabase(path: test.file.path, migrations: SiteSchema.migrations), bcryptCost: 4, settings: Site.Settings(), clock: clock.now)
        for _ in 0..<4 {
            clock.advance(by: .minutes(10))
            _ = try await restarted.evaluateAlerts()
            #expect(try restarted.alerts(visibleTo: nil).map(\.state) == [.firing])
        }
        #expect(try restarted.notices().count == 1)
    }
}
