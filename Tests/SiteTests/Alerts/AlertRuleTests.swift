import Alerting
import Beliefs
import Foundation
import Registry
import Site
import Testing

/// Rules as clients send them: checked field by field, bounded, and managed by an asset's owner or admins.
@Suite struct AlertRuleTests {
    func refusal(_ test: TestSite, _ fields: [String: JSONValue], by user: User? = nil) async -> AlertError? {
        do {
            _ = try await test.site.addAlertRule(.object(fields), by: user)
            return nil
        } catch let error as AlertError {
            return error
        } catch {
            return nil
        }
    }

    @Test func everyBadFieldIsNamed() async throws {
        let test = try TestSite()
        let error = await refusal(test, [
            "kind": "threshold_above", "sensor_id": 999, "value": .string("high"), "for": "PT-5M", "severity": "loud", "colour": "red",
        ])
        guard case let .invalid(fields)? = error?.reason else { Issue.record("expected invalid fields, got \(String(describing: error))"); return }
        #expect(Set(fields.keys) == ["name", "sensor_id", "value", "for", "severity", "colour"])
    }

    @Test(arguments: ["cut \u{0}off", "two\nlines", "\u{1b}[31mred", "   "])
    func namesThatWouldBeCutOrObeyedAreRefused(name: String) async throws {
        let test = try TestSite()
        let error = await refusal(test, ["name": .string(name), "kind": "gap", "duration": "PT1H"])
        guard case let .invalid(errors)? = error?.reason else { Issue.record("expected invalid fields, got \(String(describing: error))"); return }
        #expect(errors.keys.contains("name"), "\(errors)")
    }

    @Test(arguments: [
        (["kind": "threshold_above", "value": 1, "recovery": 2] as [String: JSONValue], "recovery"),
        (["kind": "threshold_below", "value": .number(1e300)], "value"),
        (["kind": "gap", "duration": "PT1H", "resolutions": 3], "resolutions"),
        (["kind": "gap", "resolutions": 0], "resolutions"),
        (["kind": "flat_line", "duration": "P99999D"], "duration"),
        (["kind": "flat_line", "duration": "P1Y"], "duration"),
        (["kind": "idle_use", "window": "1-5"], "window"),
        (["kind": "outlier", "factor": 0], "factor"),
        (["kind": "job_failed", "queue": "mail"], "queue"),
        (["kind": "worker_dead", "sensor_id": 1], "sensor_id"),
        (["kind": "source_silent", "duration": "PT1H", "source_id": .number(1.5)], "source_id"),
        (["kind": "flat_line", "duration": "PT1H", "value": 3], "value"),
        (["kind": "uplink_stuck"], "duration"),
        (["kind": "uplink_stuck", "duration": "soon"], "duration"),
        (["kind": "uplink_stuck", "duration": "PT1H", "sensor_id": 1], "sensor_id"),
        (["kind": "uplink_stuck", "duration": "PT1H", "asset_type": "battery"], "asset_type"),
        (["kind": "uplink_stuck", "duration": "PT1H", "queue": "delivery"], "queue"),
    ])
    func kindParametersAreChecked(fields: [String: JSONValue], field: String) async throws {
        let test = try TestSite()
        var sent = fields
        sent["name"] = "rule"
        let error = await refusal(test, sent)
        guard case let .invalid(errors)? = error?.reason else { Issue.record("expected invalid fields, got \(String(describing: error))"); return }
        #expect(errors.keys.contains(field), "\(errors)")
    }

    @Test func ownersManageTheirAssetsRulesOnly() async throws {
        let test = try TestSite()
        let own = try await test.site.addAlertRule(.object(["name": "mine", "kind": "gap", "sensor_id": .number(Double(test.battery.id))]), by: test.user)
        #expect(own.createdBy == "prosumer")
        #expect(await refusal(test, ["name": "site", "kind": "gap"], by: test.user)?.reason == .forbidden)
        #expect(await refusal(test, ["name": "market", "kind": "gap", "sensor_id": 1], by: test.user)?.reason == .forbidden)
        let siteWide = try await test.rule(["name": "site", "kind": "gap"])
        #expect(try test.site.alertRules(visibleTo: test.user).map(\.id) == [own.id])
        #expect(try test.site.alertRules(visibleTo: nil).map(\.id) == [own.id, siteWide.id])
        let (site, user) = (test.site, test.user)
        await #expect(throws: AlertError.self) { try await site.deleteAlertRule(id: siteWide.id, by: user) }
    }

    @Test func updateMergesChangesAndChecksTheWhole() async throws {
        let test = try TestSite()
        let rule = try await test.rule(["name": "hot", "kind": "threshold_above", "sensor_id": .number(Double(test.battery.id)), "value": 2, "recovery": 1])
        let raised = try await test.site.updateAlertRule(id: rule.id, with: .object(["value": 3, "repeat_interval": .null]), by: nil)
        #expect(raised.condition == .threshold(.init(above: true, trigger: 3, recovery: 1)))
        #expect(raised.timing.repeatInterval == nil)
        let changed = try await test.site.updateAlertRule(id: rule.id, with: .object(["kind": "flat_line", "duration": "PT2H"]), by: nil)
        #expect(changed.condition == .flatLine(duration: .hours(2)))
        let site = test.site
        await #expect(throws: AlertError.self) {
            try await site.updateAlertRule(id: rule.id, with: .object(["kind": "threshold_below"]), by: nil)
        }
    }

    @Test func aRuleReadsBackAsItWasSent() async throws {
        let test = try TestSite()
        let rule = try await test.rule([
            "name": "leak", "kind": "idle_use", "asset_type": "building", "level": 0.05, "window": "01:00-05:00", "for": "PT1H",
            "severity": "info",
        ])
        #expect(rule.json["window"] == "01:00-05:00")
        #expect(rule.json["asset_type"] == "building")
        #expect(rule.json["for"] == "PT1H")
        #expect(rule.json["repeat_interval"] == "PT4H")
        #expect(try test.site.alertRule(id: rule.id, visibleTo: nil) == rule)
    }

    @Test func noticesAreCodableForDelivery() throws {
        let notice = AlertNotice(status: .resolved, labels: ["alertname": "hot"], annotations: ["summary": "s"], startsAt: TestSite.now, endsAt: TestSite.now + .hours(1))
        let data = try JSONEncoder().encode(notice)
        #expect(String(decoding: data, as: UTF8.self).contains("\"startsAt\":\"2015-06-02T10:00:00"))
        #expect(try JSONDecoder().decode(AlertNotice.self, from: data) == notice)
    }
}

extension AlertRuleTests {
    @Test func theNumberOfRulesIsBounded() async throws {
        let test = try TestSite()
        try await test.site.store.write { db in
            for index in 0..<Site.maximumAlertRules {
                try db.execute(sql: "INSERT INTO alert_rule (name, kind, severity, for_us, created_at_us) VALUES (?, 'worker_dead', 'info', 0, 0)",
                               arguments: ["rule \(index)"])
            }
        }
        #expect(await refusal(test, ["name": "one more", "kind": "worker_dead"])?.reason == .tooMany(limit: Site.maximumAlertRules))
    }

    @Test func oneProsumerCannotUseUpTheSitesRules() async throws {
        let test = try TestSite()
        let battery = test.battery.id
        try await test.site.store.write { db in
            for index in 0..<(Site.maximumAlertRulesPerOwner - 1) {
                try db.execute(sql: "INSERT INTO alert_rule (name, kind, severity, for_us, sensor_id, created_at_us) VALUES (?, 'gap', 'info', 0, ?, 0)",
                               arguments: ["rule \(index)", battery])
            }
        }
        let last = try await test.site.addAlertRule(.object(["name": "the last", "kind": "gap", "sensor_id": .number(Double(battery))]), by: test.user)
        #expect(last.createdBy == "prosumer")
        let error = await refusal(test, ["name": "one more", "kind": "gap", "sensor_id": .number(Double(test.solar.id))], by: test.user)
        #expect(error?.reason == .tooMany(limit: Site.maximumAlertRulesPerOwner))
        #expect(error?.description.contains("a user who is no admin") == true, "\(String(describing: error))")
        // The site's operator and admins still add rules, on the prosumer's assets too.
        _ = try await test.rule(["name": "by the operator", "kind": "gap", "sensor_id": .number(Double(battery))])
    }

    @Test func oneProsumerCannotUseUpTheSitesSilences() async throws {
        let test = try TestSite()
        _ = try await test.rule(["name": "hot", "kind": "threshold_above", "sensor_id": .number(Double(test.battery.id)), "value": 1])
        try await test.measure(test.battery, [2], from: "2015-06-02T09:00:00Z")
        let alert = try test.onlyAlert()
        for _ in 0..<Site.maximumActiveSilencesPerUser {
            _ = try await test.site.silenceAlert(id: alert.id, for: .hours(1), comment: "", by: test.user)
        }
        do {
            _ = try await test.site.silenceAlert(id: alert.id, for: .hours(1), comment: "", by: test.user)
            Issue.record("a silence beyond the user's share was taken")
        } catch let error as AlertError {
            #expect(error.reason == .tooMany(limit: Site.maximumActiveSilencesPerUser))
        }
        _ = try await test.site.silenceAlert(id: alert.id, for: .hours(1), comment: "", by: nil)
    }
}

/// The configuration file's rules, applied by name.
@Suite struct ConfiguredAlertRuleTests {
    @Test func theFilesRulesAreAddedChangedAndRemovedByNameAndOthersLeftAlone() async throws {
        let test = try TestSite()
        let own = try await test.rule(["name": "mine", "kind": "gap", "sensor_id": .number(Double(test.battery.id))])
        let first = try await test.site.applyConfiguredAlertRules([
            ["name": "silent", "kind": "gap", "asset_type": "battery"],
            ["name": "hot", "kind": "threshold_above", "sensor_id": .number(Double(test.battery.id)), "value": 1],
        ])
        #expect(first == ConfiguredAlertRules(added: 2, changed: 0, removed: 0))
        try await test.measure(test.battery, [2], from: "2015-06-02T09:00:00Z")
        #expect(try test.onlyAlert().state == .firing)
        #expect(try await test.site.applyConfiguredAlertRules([
            ["name": "silent", "kind": "gap", "asset_type": "battery"],
            ["name": "hot", "kind": "threshold_above", "sensor_id": .number(Double(test.battery.id)), "value": 1],
        ]) == ConfiguredAlertRules())
        let changed = try await test.site.applyConfiguredAlertRules([
            ["name": "silent", "kind": "gap", "asset_type": "battery", "duration": "PT2H"],
        ])
        #expect(changed == ConfiguredAlertRules(added: 0, changed: 1, removed: 1))
        #expect(try test.site.alertRules(visibleTo: nil).map(\.name).sorted() == ["mine", "silent"])
        #expect(try test.site.notices().map(\.notice.status) == [.resolved, .firing], "the removed rule's firing alert is told resolved")
        #expect(try test.site.alertRule(id: own.id, visibleTo: nil) == own)
    }

    @Test func oneBadRuleChangesNothing() async throws {
        let test = try TestSite()
        await #expect(throws: ConfiguredAlertRuleError.self) {
            try await test.site.applyConfiguredAlertRules([["name": "fine", "kind": "worker_dead"], ["name": "bad", "kind": "gap", "resolutions": 0]])
        }
        do {
            _ = try await test.site.applyConfiguredAlertRules([["name": "twice", "kind": "worker_dead"], ["name": "twice", "kind": "worker_dead"]])
            Issue.record("two rules of one name were taken")
        } catch let error as ConfiguredAlertRuleError {
            #expect(error.index == 1)
        }
        #expect(try test.site.alertRules(visibleTo: nil).isEmpty)
    }
}

/// Durations are bounded in `Site`, whatever the front end: a reminder every microsecond (one notice per
/// timer pass) or a hold of years is refused, naming the field and its bounds.
@Suite struct AlertDurationBoundsTests {
    static let refused: [(fields: [String: JSONValue], field: String)] = [
        (["kind": "gap", "repeat_interval": "PT0.000001S"], "repeat_interval"),
        (["kind": "gap", "repeat_interval": "PT59S"], "repeat_interval"),
        (["kind": "gap", "repeat_interval": "P31D"], "repeat_interval"),
        (["kind": "gap", "for": "P31D"], "for"),
        (["kind": "gap", "for": "-PT1M"], "for"),
        (["kind": "gap", "duration": "PT30S"], "duration"),
        (["kind": "flat_line", "duration": "PT0.000001S"], "duration"),
        (["kind": "job_overdue", "duration": "PT1S"], "duration"),
        (["kind": "job_failed", "duration": "P400D"], "duration"),
        (["kind": "source_silent", "duration": "P367D"], "duration"),
        (["kind": "uplink_stuck", "duration": "PT59S"], "duration"),
        (["kind": "uplink_stuck", "duration": "P367D"], "duration"),
    ]

    @Test(arguments: refused)
    func durationsOutsideTheirBoundsAreRefused(fields: [String: JSONValue], field: String) async throws {
        let test = try TestSite()
        var sent = fields
        sent["name"] = "rule"
        do {
            _ = try await test.site.addAlertRule(.object(sent), by: nil)
            Issue.record("\(fields) was taken")
        } catch let error as AlertError {
            guard case let .invalid(errors) = error.reason else { Issue.record("\(error)"); return }
            #expect(Set(errors.keys) == [field], "\(errors)")
            #expect(errors[field]?.first?.hasPrefix("Must be from ") == true, "\(errors)")
        }
        #expect(try test.site.alertRules(visibleTo: nil).isEmpty)
    }

    @Test func theBoundsThemselvesAreTaken() async throws {
        let test = try TestSite()
        let short = try await test.rule(["name": "short", "kind": "gap", "duration": "PT1M", "repeat_interval": "PT1M", "for": "PT0S"])
        #expect(short.timing.repeatInterval == .minutes(1))
        let long = try await test.rule(["name": "long", "kind": "flat_line", "duration": "P366D", "repeat_interval": "P30D", "for": "P30D"])
        #expect(long.timing.holdFor == .days(30))
    }

    @Test func aRuleStoredWithAShorterRepeatIntervalRemindsAtMostOnceAMinute() async throws {
        let test = try TestSite()
        let rule = try await test.rule(["name": "old", "kind": "gap", "duration": "PT1H"])
        try await test.site.store.write { db in try db.execute(sql: "UPDATE alert_rule SET repeat_us = 1 WHERE id = ?", arguments: [rule.id]) }
        #expect(try test.site.alertRule(id: rule.id, visibleTo: nil).timing.repeatInterval == .minutes(1))
    }

    @Test func theConfigurationFilesRulesAreBoundedTheSame() async throws {
        let test = try TestSite()
        do {
            _ = try await test.site.applyConfiguredAlertRules([["name": "fine", "kind": "worker_dead"], ["name": "noisy", "kind": "worker_dead", "repeat_interval": "PT1S"]])
            Issue.record("a repeat interval of a second was taken")
        } catch let error as ConfiguredAlertRuleError {
            #expect(error.index == 1)
            #expect(error.description.contains("repeat_interval"), "\(error)")
        }
        #expect(try test.site.alertRules(visibleTo: nil).isEmpty)
    }

    @Test(arguments: [Timespan(microseconds: 1), .seconds(59), .days(367)])
    func silencesOutsideTheirBoundsAreRefused(duration: Timespan) async throws {
        let test = try TestSite()
        do {
            _ = try await test.site.addSilence(matchers: ["alertname=hot"], for: duration, comment: "", by: nil)
            Issue.record("a silence of \(duration.iso8601) was taken")
        } catch let error as AlertError {
            guard case let .invalid(errors) = error.reason else { Issue.record("\(error)"); return }
            #expect(errors["duration"] == ["Must be from PT1M to P366D."], "\(errors)")
        }
        #expect(try test.site.activeSilences().isEmpty)
    }
}
