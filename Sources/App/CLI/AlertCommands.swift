import Alerting
import ArgumentParser
import Beliefs
import Foundation
import Site

/// `flexmeasures add alert-rule`: a rule from flags, checked by the site as the API's JSON is.
struct AddAlertRule: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert-rule",
        abstract: "Add an alert rule on a sensor, an asset type or the whole site (or an asset type's defaults).",
        discussion: """
            Kinds and their flags: threshold_above, threshold_below (--value, --recovery: the value it must pass back \
            to resolve, default --value); gap (--duration, or --resolutions, default 3); flat_line (--duration); outlier \
            (--baseline last_week|forecast, --factor, default 5, --floor, default 0); idle_use (--level, default 0, \
            --window 01:00-05:00 in the sensor's local time, optional); job_failed (--queue, --duration: how far back, \
            default PT1H); job_overdue (--queue, --duration); worker_dead (--queue); source_silent (--source-id, \
            optional, --duration); uplink_stuck (--duration: how long the oldest change may wait for the fleet \
            uplink). Every rule: --severity info|warning|critical, --for (how long the condition must \
            hold before it fires), --repeat-interval (reminders while firing, default PT4H; --no-repeat for none). \
            Without --sensor-id or --asset-type a data rule covers every sensor of the site. \
            `--defaults --asset-type T` adds the defaults one may switch on per asset type: a gap of three resolutions.
            """
    )

    @Option(help: "The rule's name (the alertname of its notices).") var name: String?
    @Option(help: "The rule's kind (see above).") var kind: String?
    @Option(name: .customLong("sensor-id"), help: "The sensor it watches: an asset, market or weather sensor id.") var sensorID: Int64?
    @Option(name: .customLong("asset-type"), help: "Watch every asset of this type.") var assetType: String?
    @Option(help: "info, warning (default) or critical.") var severity: String?
    @Option(name: .customLong("for"), help: "How long the condition must hold before the alert fires (ISO 8601, default PT0S).") var holdFor: String?
    @Option(name: .customLong("repeat-interval"), help: "How often a firing alert reminds (ISO 8601, default PT4H).") var repeatInterval: String?
    @Flag(name: .customLong("no-repeat"), help: "No reminders: one notice per breach.") var noRepeat = false
    @Flag(help: "Add the rule switched off.") var disabled = false
    @Option(parsing: .unconditional, help: "The threshold.") var value: Double?
    @Option(parsing: .unconditional, help: "The value a threshold alert must pass back to resolve.") var recovery: Double?
    @Option(help: "A duration (ISO 8601): the gap, flat line, overdue or silence length, a failed job's lookback, or how long the uplink may lag.") var duration: String?
    @Option(help: "A gap as a number of the sensor's resolutions.") var resolutions: Int64?
    @Option(help: "What an outlier is measured against: last_week or forecast.") var baseline: String?
    @Option(parsing: .unconditional, help: "How many robust deviations make an outlier.") var factor: Double?
    @Option(parsing: .unconditional, help: "The least absolute deviation that may be an outlier.") var floor: Double?
    @Option(parsing: .unconditional, help: "The consumption level of idle use.") var level: Double?
    @Option(help: "The quiet window of idle use, HH:MM-HH:MM in the sensor's local time.") var window: String?
    @Option(help: "The job queue: scheduling, forecasting or delivery (default: all of them).") var queue: String?
    @Option(name: .customLong("source-id"), help: "The data source a source_silent rule watches (default: every user's).") var sourceID: Int64?
    @Flag(help: "Add the defaults of --asset-type instead of one rule.") var defaults = false
    @OptionGroup var database: DatabaseOptions

    static let flags = [
        "name": "--name", "kind": "--kind", "sensor_id": "--sensor-id", "asset_type": "--asset-type", "severity": "--severity",
        "for": "--for", "repeat_interval": "--repeat-interval", "value": "--value", "recovery": "--recovery", "duration": "--duration",
        "resolutions": "--resolutions", "baseline": "--baseline", "factor": "--factor", "floor": "--floor", "level": "--level",
        "window": "--window", "queue": "--queue", "source_id": "--source-id",
    ]

    func run() async throws {
        let site = try database.site()
        if defaults {
            guard let assetType, name == nil, kind == nil, sensorID == nil else {
                throw UsageFailure("--defaults takes --asset-type only")
            }
            guard try site.registry.assetTypes().contains(where: { $0.name == assetType }) else {
                throw UsageFailure("invalid value for --asset-type: no asset type named \(assetType)")
            }
            let added = try await site.addDefaultAlertRules(assetType: assetType, by: nil)
            if added.isEmpty { print("The defaults of \(assetType) are there already.") }
            for rule in added { printID(rule.id) }
            return
        }
        var fields: [String: JSONValue] = [:]
        let texts: [(String, String?)] = [
            ("name", name), ("kind", kind), ("asset_type", assetType), ("severity", severity), ("for", holdFor),
            ("repeat_interval", repeatInterval), ("duration", duration), ("baseline", baseline), ("window", window), ("queue", queue),
        ]
        for case let (field, text?) in texts { fields[field] = .string(text) }
        let numbers: [(String, Double?)] = [
            ("value", value), ("recovery", recovery), ("factor", factor), ("floor", floor), ("level", level),
            ("sensor_id", sensorID.map(Double.init)), ("resolutions", resolutions.map(Double.init)), ("source_id", sourceID.map(Double.init)),
        ]
        for case let (field, number?) in numbers { fields[field] = .number(number) }
        if noRepeat {
            guard repeatInterval == nil else { throw UsageFailure("give --repeat-interval or --no-repeat, not both") }
            fields["repeat_interval"] = .null
        }
        if disabled { fields["enabled"] = .bool(false) }
        do {
            printID(try await site.addAlertRule(.object(fields), by: nil).id)
        } catch let error as AlertError {
            throw error.usageFailure(flags: Self.flags)
        }
    }
}

/// `flexmeasures add alert-silence`: mutes matching alerts' notices for a while.
struct AddAlertSilence: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert-silence",
        abstract: "Silence alerts whose labels match every --matcher (name=value or name!=value) for --duration.",
        discussion: "Labels: alertname (the rule's name), rule_id, severity, kind, sensor_id, asset, market, weather_sensor, source_id, source, queue."
    )

    @Option(help: "A label matcher, repeatable: alertname=battery hot, asset!=solar.") var matcher: [String] = []
    @Option(help: "How long (ISO 8601), from PT1M to P366D.") var duration: String
    @Option(help: "Why.") var comment: String = ""
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard let span = try? Timespan.parseISO8601(duration) else {
            throw UsageFailure("invalid value for --duration: not an ISO 8601 duration such as PT2H")
        }
        do {
            printID(try await database.site().addSilence(matchers: matcher, for: span, comment: comment, by: nil).id)
        } catch let error as AlertError {
            throw error.usageFailure(flags: ["matchers": "--matcher", "duration": "--duration", "comment": "--comment"])
        }
    }
}

/// `flexmeasures show alerts`: the rules, the alerts and the silences in force.
struct ShowAlerts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Show the alert rules, the alerts (pending and firing, or --all) and the silences in force."
    )

    @Flag(help: "Every alert, resolved and inactive ones too.") var all = false
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let site = try database.site()
        let rules = try site.alertRules(visibleTo: nil)
        print("Rules:")
        if rules.isEmpty { print("  none") }
        for rule in rules {
            let scope = switch rule.scope {
            case let .sensor(id): "sensor \(id)"
            case let .assetType(type): "asset type \(type)"
            case .site: "the site"
            }
            let repeatText = rule.timing.repeatInterval.map { ", repeat \($0.iso8601)" } ?? ""
            print("  \(rule.id)  \(rule.name)  [\(rule.kind.rawValue), \(rule.severity.rawValue)\(rule.enabled ? "" : ", disabled")] on \(scope): \(rule.conditionText), for \(rule.timing.holdFor.iso8601)\(repeatText)")
        }
        let alerts = try site.alerts(visibleTo: nil, states: all ? nil : [.pending, .firing])
        print(all ? "Alerts:" : "Alerts (pending and firing):")
        if alerts.isEmpty { print("  none") }
        for alert in alerts {
            let subject = ["asset", "market", "weather_sensor", "source", "queue", "sensor_id"].first { alert.labels[$0] != nil }
                .map { "\($0) \(alert.labels[$0]!)" } ?? "the site"
            var line = "  \(alert.id)  \(alert.state.rawValue)  \(alert.ruleName) on \(subject)"
            if let since = alert.activeSince { line += " since \(since.iso8601)" }
            if let value = alert.value { line += ", value \(value)" }
            if alert.silenced { line += ", silenced" }
            if let acknowledgement = alert.acknowledgement {
                line += ", acknowledged by \(acknowledgement.by) at \(acknowledgement.at.iso8601)"
                if !acknowledgement.comment.isEmpty { line += ": \(acknowledgement.comment)" }
            }
            print(line)
        }
        let silences = try site.activeSilences()
        if !silences.isEmpty {
            print("Silences:")
            for silence in silences {
                print("  \(silence.id)  \(silence.silence.matchers.map(\.text).joined(separator: ", ")) until \(silence.silence.endsAt.iso8601)\(silence.comment.isEmpty ? "" : ": \(silence.comment)")")
            }
        }
    }
}

/// `flexmeasures delete alert-rule`: a rule with its alerts (firing ones that were told are told resolved).
struct DeleteAlertRule: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert-rule",
        abstract: "Delete an alert rule and its alerts; its firing alerts are told resolved."
    )

    @Option(help: "The rule's id (see `flexmeasures show alerts`).") var id: Int64
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        do {
            try await database.site().deleteAlertRule(id: id, by: nil)
            print("Deleted alert rule \(id).")
        } catch let error as AlertError {
            throw UsageFailure("invalid value for --id: \(error.description)")
        }
    }
}

extension SiteError where Reason == AlertProblem {
    /// The site's complaint in the words of the command line: fields named by the flags that set them.
    func usageFailure(flags: [String: String]) -> UsageFailure {
        guard case let .invalid(fields) = reason else { return UsageFailure(description) }
        let lines = fields.keys.sorted().map { field in
            let flag = flags[field].map { "\($0) (\(field))" } ?? field
            return "invalid value for \(flag): \(fields[field]!.joined(separator: " "))"
        }
        return UsageFailure(lines.joined(separator: "\nerror: "))
    }
}
