import Alerting
import Beliefs
import GRDB

/// What a rule applies to: one sensor (an asset's, a market's, a weather sensor's), every asset of a type,
/// or the whole site (every sensor for the data kinds; the site's jobs, workers, sources and uplink for the others).
public enum AlertScope: Sendable, Hashable {
    case sensor(SensorID)
    case assetType(String)
    case site
}

/// An alert rule as the site stores it.
public struct AlertRule: Sendable, Hashable {
    public let id: Int64
    public var name: String
    public var condition: RuleCondition
    public var scope: AlertScope
    public var severity: AlertSeverity
    public var timing: AlertTiming
    public var enabled: Bool
    /// Who made it (a username, or "cli").
    public var createdBy: String?

    public var kind: RuleKind { condition.kind }

    /// The columns a rule is read from (`alert_rule`, aliased `r`).
    static let columns = """
        r.id, r.name, r.kind, r.sensor_id, r.asset_type, r.severity, r.for_us, r.repeat_us, r.enabled, r.value, r.recovery,
        r.duration_us, r.resolutions, r.factor, r.floor, r.baseline, r.level, r.quiet_window, r.queue, r.source_id, r.created_by
        """

    /// The rule of a row that starts with `columns` (read by position: ingest reads a few rules per post);
    /// nil for a row this release cannot read (a kind it does not know).
    init?(row: Row) {
        guard let kind = RuleKind(rawValue: row[2]), let severity = AlertSeverity(rawValue: row[5]) else { return nil }
        let duration = (row[11] as Int64?).map { Timespan(microseconds: $0) }
        let queue: String? = row[18]
        let condition: RuleCondition
        switch kind {
        case .thresholdAbove, .thresholdBelow:
            let value: Double = row[9] ?? 0
            condition = .threshold(.init(above: kind == .thresholdAbove, trigger: value, recovery: row[10] ?? value))
        case .gap:
            if let duration { condition = .gap(.duration(duration)) } else { condition = .gap(.resolutions(row[12] ?? 3)) }
        case .flatLine: condition = .flatLine(duration: duration ?? .hours(1))
        case .outlier:
            condition = .outlier(baseline: RuleCondition.Baseline(rawValue: row[15] ?? "") ?? .lastWeek, factor: row[13] ?? 5, floor: row[14] ?? 0)
        case .idleUse: condition = .idleUse(level: row[16] ?? 0, window: (row[17] as String?).flatMap(QuietWindow.init(parsing:)))
        case .jobFailed: condition = .jobFailed(queue: queue, lookback: duration ?? .hours(1))
        case .jobOverdue: condition = .jobOverdue(queue: queue, overdue: duration ?? .hours(1))
        case .workerDead: condition = .workerDead(queue: queue)
        case .sourceSilent: condition = .sourceSilent(sourceID: row[19], duration: duration ?? .hours(1))
        case .uplinkStuck: condition = .uplinkStuck(duration: duration ?? .hours(1))
        }
        id = row[0]
        name = row[1]
        self.condition = condition
        if let sensor: Int64 = row[3] {
            scope = .sensor(sensor)
        } else if let type: String = row[4] {
            scope = .assetType(type)
        } else {
            scope = .site
        }
        self.severity = severity
        // A rule stored by an older release, which took any repeat interval, reminds at most once a minute.
        let repeatInterval = (row[7] as Int64?).map { max(Timespan(microseconds: $0), AlertRuleDraft.DurationBounds.repeatInterval.minimum) }
        timing = AlertTiming(holdFor: Timespan(microseconds: row[6]), repeatInterval: repeatInterval)
        enabled = row[8]
        createdBy = row[20]
    }

    /// How many columns `columns` names.
    static let columnCount = 21

    /// The condition in words, for notices and listings ("above 5.0, recovering at 4.0").
    public var conditionText: String {
        switch condition {
        case let .threshold(threshold):
            let word = threshold.above ? "above" : "below"
            return threshold.recovery == threshold.trigger
                ? "\(word) \(threshold.trigger)"
                : "\(word) \(threshold.trigger), recovering at \(threshold.recovery)"
        case let .gap(.duration(span)): return "no new data for \(span.iso8601)"
        case let .gap(.resolutions(count)): return "no new data for \(count) resolutions"
        case let .flatLine(duration): return "value unchanged for \(duration.iso8601)"
        case let .outlier(baseline, factor, floor):
            return "more than \(factor) robust deviations and more than \(floor) from \(baseline == .lastWeek ? "the same time last week" : "the forecast")"
        case let .idleUse(level, window):
            return window.map { "consumption above \(level) in the quiet window \($0.text)" } ?? "consumption never at or below \(level)"
        case let .jobFailed(queue, lookback): return "a \(queue.map { $0 + " " } ?? "")job failed in the last \(lookback.iso8601)"
        case let .jobOverdue(queue, overdue): return "a \(queue.map { $0 + " " } ?? "")job waiting or running for more than \(overdue.iso8601)"
        case let .workerDead(queue): return "the \(queue ?? "job") worker is silent or stopped"
        case let .sourceSilent(_, duration): return "data source not heard from for \(duration.iso8601)"
        case let .uplinkStuck(duration): return "uplink behind by more than \(duration.iso8601)"
        }
    }
}
