import Alerting
import Beliefs
import GRDB
import Registry
import Site
import SiteDatabase
import Testing

/// Data rules judged on ingest: in the batch's transaction, one alert per rule and sensor, notices written
/// into the outbox with the change.
@Suite struct AlertIngestTests {
    @Test func thresholdFiresAfterItsForAndResolvesPastItsRecoveryValue() async throws {
        let test = try TestSite()
        let rule = try await test.rule([
            "name": "battery hot", "kind": "threshold_above", "sensor_id": number(Double(test.battery.id)),
            "value": 1, "recovery": 0.5, "for": "PT45M", "severity": "critical",
        ])
        try await test.measure(test.battery, [0.2, 1.5, 1.5], from: "2015-06-02T09:00:00Z")
        #expect(try test.onlyAlert().state == .pending)
        #expect(try test.site.notices().isEmpty)
        try await test.measure(test.battery, [1.5], from: "2015-06-02T09:45:00Z")
        let firing = try test.onlyAlert()
        #expect(firing.state == .firing)
        #expect(firing.value == 1.5)
        #expect(firing.activeSince == instant("2015-06-02T09:15:00Z"))
        let notices = try test.site.notices()
        try #require(notices.count == 1)
        #expect(notices[0].notice.status == .firing)
        #expect(notices[0].notice.labels["alertname"] == "battery hot")
        #expect(notices[0].notice.labels["asset"] == "battery")
        #expect(notices[0].notice.labels["severity"] == "critical")
        #expect(notices[0].notice.labels["rule_id"] == String(rule.id))
        #expect(notices[0].notice.labels["sensor_id"] == String(test.battery.id))
        #expect(notices[0].notice.annotations["summary"] == "battery hot: asset battery above 1.0, recovering at 0.5")
        #expect(notices[0].notice.startsAt == instant("2015-06-02T09:15:00Z"))
        #expect(notices[0].deliveredAt == nil)

        // 0.8 lies between the recovery value and the trigger: still firing, nothing new told.
        try await test.measure(test.battery, [0.8], from: "2015-06-02T10:00:00Z")
        #expect(try test.onlyAlert().state == .firing)
        #expect(try test.site.notices().count == 1)
        try await test.measure(test.battery, [0.4], from: "2015-06-02T10:15:00Z")
        #expect(try test.onlyAlert().state == .resolved)
        let resolved = try #require(try test.site.notices().first)
        #expect(resolved.notice.status == .resolved)
        #expect(resolved.notice.endsAt == instant("2015-06-02T10:15:00Z"))
        #expect(resolved.notice.fingerprint == notices[0].notice.fingerprint)
    }

    @Test func oneAlertPerRuleAndSensor() async throws {
        let test = try TestSite()
        let rule = try await test.rule(["name": "hot", "kind": "threshold_above", "asset_type": "battery", "value": 1])
        for hour in 0..<3 {
            try await test.measure(test.battery, [2, 0, 2, 0], from: "2015-06-02T0\(7 + hour):00:00Z")
        }
        #expect(try test.site.alerts(visibleTo: nil).count == 1)
        #expect(try test.site.notices().count == 12)
        let (site, battery) = (test.site, test.battery.id)
        await #expect(throws: DatabaseError.self) {
            try await site.store.write { db in
                try db.execute(sql: "INSERT INTO alert (rule_id, subject_id, state, labels, updated_at_us) VALUES (?, ?, 'firing', '{}', 0)",
                               arguments: [rule.id, battery])
            }
        }
    }

    @Test func rulesOfAnAssetTypeAndTheSiteCoverTheirSensorsOnly() async throws {
        let test = try TestSite()
        _ = try await test.rule(["name": "battery high", "kind": "threshold_above", "asset_type": "battery", "value": 1])
        _ = try await test.rule(["name": "anything high", "kind": "threshold_above", "value": 10])
        try await test.measure(test.solar, [2], from: "2015-06-02T09:00:00Z")
        #expect(try test.site.alerts(visibleTo: nil).isEmpty)
        try await test.measure(test.battery, [2], from: "2015-06-02T09:00:00Z")
        try await test.measure(test.solar, [11], from: "2015-06-02T09:15:00Z")
        let alerts = try test.site.alerts(visibleTo: nil).map { "\($0.ruleName) \($0.labels["asset"] ?? "")" }.sorted()
        #expect(alerts == ["anything high solar", "battery high battery"])
    }

    @Test func flatLineSpansPosts() async throws {
        let test = try TestSite()
        _ = try await test.rule(["name": "stuck", "kind": "flat_line", "sensor_id": number(Double(test.solar.id)), "duration": "PT1H"])
        try await test.measure(test.solar, [1, 3, 3], from: "2015-06-02T08:00:00Z")
        try await test.measure(test.solar, [3], from: "2015-06-02T08:45:00Z")
        #expect(try test.site.alerts(visibleTo: nil).isEmpty)
        try await test.measure(test.solar, [3, 3], from: "2015-06-02T09:00:00Z")
        #expect(try test.onlyAlert().state == .firing)
        try await test.measure(test.solar, [2], from: "2015-06-02T09:30:00Z")
        #expect(try test.onlyAlert().state == .resolved)
    }

    @Test func outlierAgainstLastWeekHasAnAbsoluteFloor() async throws {
        let test = try TestSite()
        _ = try await test.rule([
            "name": "odd", "kind": "outlier", "sensor_id": number(Double(test.hourly.id)), "factor": 3, "floor": 0.5,
        ])
        // Last week: history, judged by nothing (more than a day old), but the baseline now.
        try await test.measure(test.hourly, [0, 0, 0, 1, 1, 1], from: "2015-05-26T04:00:00Z")
        try await test.measure(test.hourly, [0.3, 0.2, 0.1, 1.1, 0.9, 1.05], from: "2015-06-02T04:00:00Z")
        #expect(try test.site.alerts(visibleTo: nil).isEmpty)
        try await test.measure(test.hourly, [5], from: "2015-06-02T10:00:00Z")
        #expect(try test.site.alerts(visibleTo: nil).isEmpty, "no value last week at 10:00: nothing to judge")
        try await test.measure(test.hourly, [9], from: "2015-05-26T11:00:00Z")
        try await test.measure(test.hourly, [1], from: "2015-06-02T11:00:00Z")
        #expect(try test.onlyAlert().state == .firing)
    }

    @Test func idleUseInTheQuietWindowOfTheSensorsTimezone() async throws {
        let test = try TestSite()
        _ = try await test.rule([
            "name": "leak", "kind": "idle_use", "sensor_id": number(Double(test.hourly.id)), "level": 0.1, "window": "01:00-05:00",
        ])
        try await test.measure(test.hourly, [0.5, 0.5], from: "2015-06-01T23:00:00Z")
        #expect(try test.site.alerts(visibleTo: nil).isEmpty, "UTC 23:00 and 00:00 are outside the window")
        try await test.measure(test.hourly, [0.5], from: "2015-06-02T01:00:00Z")
        #expect(try test.onlyAlert().state == .firing)
        try await test.measure(test.hourly, [0.5], from: "2015-06-02T05:00:00Z")
        #expect(try test.onlyAlert().state == .resolved)
    }

    @Test func historyAndForecastsAreNotJudged() async throws {
        let test = try TestSite()
        _ = try await test.rule(["name": "hot", "kind": "threshold_above", "sensor_id": number(Double(test.battery.id)), "value": 1])
        try await test.measure(test.battery, [5], from: "2015-05-30T09:00:00Z")
        let forecast = Belief(sensorID: test.battery.id, eventStart: instant("2015-06-02T11:00:00Z"), beliefTime: instant("2015-06-02T09:00:00Z"), sourceID: 0, value: 5)
        try await test.site.ingest([forecast], from: .script(name: "flexmeasures forecaster", type: .forecaster))
        #expect(try test.site.alerts(visibleTo: nil).isEmpty)
    }

    @Test func silenceMutesUntilItExpires() async throws {
        let clock = SiteClock()
        let test = try TestSite(clock: clock.now)
        _ = try await test.rule(["name": "hot", "kind": "threshold_above", "sensor_id": number(Double(test.battery.id)), "value": 1])
        let silence = try await test.site.addSilence(matchers: ["alertname=hot"], for: .hours(1), comment: "maintenance", by: nil)
        #expect(silence.silence.endsAt == TestSite.now + .hours(1))
        try await test.measure(test.battery, [2], from: "2015-06-02T09:00:00Z")
        #expect(try test.onlyAlert().state == .firing)
        #expect(try test.onlyAlert().silenced)
        #expect(try test.site.notices().isEmpty)
        clock.advance(by: .minutes(59))
        _ = try await test.site.evaluateAlerts()
        #expect(try test.site.notices().isEmpty)
        clock.advance(by: .minutes(1))
        let report = try await test.site.evaluateAlerts()
        #expect(report.notices == 1)
        #expect(try test.site.notices().map(\.notice.status) == [.firing])
    }

    @Test func repeatIntervalRemindsUntilAcknowledgedAndAcknowledgementClearsOnResolve() async throws {
        let clock = SiteClock()
        let test = try TestSite(clock: clock.now)
        _ = try await test.rule([
            "name": "hot", "kind": "threshold_above", "sensor_id": number(Double(test.battery.id)), "value": 1, "repeat_interval": "PT1H",
        ])
        try await test.measure(test.battery, [2], from: "2015-06-02T09:00:00Z")
        clock.advance(by: .minutes(30))
        _ = try await test.site.evaluateAlerts()
        #expect(try test.site.notices().count == 1)
        clock.advance(by: .minutes(30))
        _ = try await test.site.evaluateAlerts()
        #expect(try test.site.notices().count == 2)
        let alert = try test.onlyAlert()
        let acknowledged = try await test.site.acknowledgeAlert(id: alert.id, comment: "on it", by: test.user)
        #expect(acknowledged.acknowledgement?.by == "prosumer")
        #expect(acknowledged.acknowledgement?.comment == "on it")
        clock.advance(by: .hours(3))
        _ = try await test.site.evaluateAlerts()
        #expect(try test.site.notices().count == 2)
        try await test.measure(test.battery, [0], from: "2015-06-02T09:15:00Z")
        let resolved = try test.onlyAlert()
        #expect(resolved.state == .resolved)
        #expect(resolved.acknowledgement == nil)
        #expect(try test.site.notices().count == 3)
        let site = test.site
        await #expect(throws: AlertError.self) { try await site.acknowledgeAlert(id: alert.id, comment: "", by: nil) }
    }

    @Test func aRestartKeepsTheFiringAlertAndTellsNothingTwice() async throws {
        let clock = SiteClock()
        let test = try TestSite(clock: clock.now)
        _ = try await test.rule(["name": "hot", "kind": "threshold_above", "sensor_id": number(Double(test.battery.id)), "value": 1])
        try await test.measure(test.battery, [2], from: "2015-06-02T09:00:00Z")
        #expect(try test.site.notices().count == 1)

        clock.advance(by: .minutes(10))
        let database = try SiteDatabase(path: test.file.path, migrations: SiteSchema.migrations)
        let restarted = Site(database: database, bcryptCost: 4, settings: Site.Settings(), clock: clock.now)
        #expect(try restarted.alerts(visibleTo: nil).map(\.state) == [.firing])
        let beliefs = [Belief(sensorID: test.battery.id, eventStart: instant("2015-06-02T09:15:00Z"), beliefTime: instant("2015-06-02T09:30:00Z"), sourceID: 0, value: 3)]
        try await restarted.ingest(beliefs, from: .user(id: test.user.id, name: test.user.username))
        _ = try await restarted.evaluateAlerts()
        #expect(try restarted.notices().count == 1)
        #expect(try restarted.alerts(visibleTo: nil).map(\.state) == [.firing])
    }
}

/// The rules index that spares ingest reading rule rows stays right when rules change.
@Suite struct AlertRuleIndexTests {
    @Test func aRuleAddedByAnotherProcessIsSeenAtTheNextIngest() async throws {
        let test = try TestSite()
        try await test.measure(test.battery, [2], from: "2015-06-02T08:00:00Z")
        let other = Site(database: try SiteDatabase(path: test.file.path, migrations: SiteSchema.migrations), bcryptCost: 4, settings: Site.Settings(), clock: { TestSite.now })
        let rule = try await other.addAlertRule(["name": "hot", "kind": "threshold_above", "sensor_id": .number(Double(test.battery.id)), "value": 1], by: nil)
        try await test.measure(test.battery, [2], from: "2015-06-02T08:15:00Z")
        #expect(try test.onlyAlert().state == .firing)
        try await other.deleteAlertRule(id: rule.id, by: nil)
        try await test.measure(test.battery, [2], from: "2015-06-02T08:30:00Z")
        #expect(try test.site.alerts(visibleTo: nil).isEmpty)
    }

    @Test func changesThroughTheSiteCountAtOnce() async throws {
        let test = try TestSite()
        let rule = try await test.rule(["name": "hot", "kind": "threshold_above", "sensor_id": .number(Double(test.battery.id)), "value": 5])
        try await test.measure(test.battery, [2], from: "2015-06-02T08:00:00Z")
        #expect(try test.site.alerts(visibleTo: nil).isEmpty)
        _ = try await test.site.updateAlertRule(id: rule.id, with: ["value": 1, "recovery": 1], by: nil)
        try await test.measure(test.battery, [2], from: "2015-06-02T08:15:00Z")
        #expect(try test.onlyAlert().state == .firing)
        _ = try await test.site.updateAlertRule(id: rule.id, with: ["enabled": false], by: nil)
        try await test.measure(test.battery, [9], from: "2015-06-02T08:30:00Z")
        #expect(try test.site.alerts(visibleTo: nil).isEmpty, "a disabled rule's alert is resolved, and it judges nothing")
    }

    @Test func anUpdateThatChangesNothingLeavesTheAlertFiring() async throws {
        let test = try TestSite()
        let rule = try await test.rule(["name": "hot", "kind": "threshold_above", "sensor_id": .number(Double(test.battery.id)), "value": 1])
        try await test.measure(test.battery, [2], from: "2015-06-02T08:00:00Z")
        _ = try await test.site.updateAlertRule(id: rule.id, with: ["value": 1], by: nil)
        _ = try await test.site.updateAlertRule(id: rule.id, with: [:], by: nil)
        #expect(try test.onlyAlert().state == .firing)
        #expect(try test.site.notices().allSatisfy { $0.notice.status == .firing })
    }

    /// A receiver matches alerts by labels: a changed rule's told alert is told resolved with the labels it
    /// was told with, and a deleted asset's alerts are told resolved before the cascade removes them.
    @Test func alertsOfChangedRulesAndDeletedAssetsAreToldResolvedUnderTheirOwnLabels() async throws {
        let test = try TestSite()
        let rule = try await test.rule(["name": "hot", "kind": "threshold_above", "sensor_id": .number(Double(test.battery.id)), "value": 1])
        try await test.measure(test.battery, [2], from: "2015-06-02T08:00:00Z")
        let firing = try #require(try test.site.notices().first)
        #expect(firing.notice.status == .firing)
        _ = try await test.site.updateAlertRule(id: rule.id, with: ["kind": "flat_line", "duration": "P10D", "name": "renamed"], by: nil)
        let resolved = try #require(try test.site.notices().first { $0.notice.status == .resolved })
        #expect(resolved.notice.fingerprint == firing.notice.fingerprint)
        #expect(resolved.notice.labels["alertname"] == "hot")
        #expect(try test.site.alerts(visibleTo: nil).isEmpty)

        _ = try await test.rule(["name": "hot again", "kind": "threshold_above", "sensor_id": .number(Double(test.battery.id)), "value": 1])
        try await test.measure(test.battery, [2], from: "2015-06-02T08:15:00Z")
        let before = try test.site.notices().count
        try test.site.deleteAsset(id: test.battery.id)
        let after = try test.site.notices()
        #expect(after.count == before + 1, "\(after)")
        #expect(after.contains { $0.notice.status == .resolved && $0.notice.labels["alertname"] == "hot again" })
    }
}
