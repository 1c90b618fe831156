import Beliefs

/// What a rule watches, with its parameters. The data kinds (threshold, gap, flat line, outlier, idle use)
/// watch a sensor's values; the others watch the site's jobs, workers, data sources and fleet uplink.
public enum RuleCondition: Sendable, Hashable {
    /// A value above (`above`) or below the `trigger`; it recovers only past `recovery` (hysteresis).
    case threshold(Threshold)
    /// No new data for `length`, counted from when data was last received (or never received).
    case gap(GapLength)
    /// The value has not changed for `duration`.
    case flatLine(duration: Timespan)
    /// A value far from the expected one: more than `factor` robust deviations and more than `floor` away.
    case outlier(baseline: Baseline, factor: Double, floor: Double)
    /// Consumption above `level` inside the quiet window (each night), or, without a window, consumption
    /// that does not drop to `level` or below (with the rule's `for` as how long).
    case idleUse(level: Double, window: QuietWindow?)
    /// A job of `queue` (any queue when nil) failed within the last `lookback`.
    case jobFailed(queue: String?, lookback: Timespan)
    /// A job of `queue` waiting or running for longer than `overdue`.
    case jobOverdue(queue: String?, overdue: Timespan)
    /// The daemon's worker of `queue` (any when nil) is silent or stopped.
    case workerDead(queue: String?)
    /// A data source (a gateway's user; one when `sourceID` is given) not heard from for `duration`.
    case sourceSilent(sourceID: Int64?, duration: Timespan)
    /// The fleet uplink's oldest waiting change (a belief stored on the site, not yet held centrally) has
    /// waited longer than `duration`. A site without an uplink never breaches it.
    case uplinkStuck(duration: Timespan)

    public struct Threshold: Sendable, Hashable {
        public var above: Bool
        public var trigger: Double
        public var recovery: Double

        public init(above: Bool, trigger: Double, recovery: Double) {
            self.above = above
            self.trigger = trigger
            self.recovery = recovery
        }
    }

    /// How long a gap must last: a fixed duration, or a number of the sensor's resolutions.
    public enum GapLength: Sendable, Hashable {
        case duration(Timespan)
        case resolutions(Int64)

        /// The gap length for a sensor of `resolution` (an instantaneous sensor counts resolutions as minutes).
        public func length(resolution: Timespan) -> Timespan {
            switch self {
            case let .duration(span): return span
            case let .resolutions(count):
                let step = resolution > .zero ? resolution : .minutes(1)
                let (product, overflow) = step.microseconds.multipliedReportingOverflow(by: count)
                return overflow ? Timespan.longestParsed : min(Timespan(microseconds: product), Timespan.longestParsed)
            }
        }
    }

    /// What an outlier is measured against.
    public enum Baseline: String, Sendable, Hashable, CaseIterable {
        /// The value of the same event a week earlier.
        case lastWeek = "last_week"
        /// The newest forecast of the event (a belief formed before the event ended).
        case forecast
    }

    /// The rule's kind as stored and as the API and CLI name it.
    public var kind: RuleKind {
        switch self {
        case let .threshold(threshold): threshold.above ? .thresholdAbove : .thresholdBelow
        case .gap: .gap
        case .flatLine: .flatLine
        case .outlier: .outlier
        case .idleUse: .idleUse
        case .jobFailed: .jobFailed
        case .jobOverdue: .jobOverdue
        case .workerDead: .workerDead
        case .sourceSilent: .sourceSilent
        case .uplinkStuck: .uplinkStuck
        }
    }
}

/// The kinds of rules, by name.
public enum RuleKind: String, Sendable, Hashable, CaseIterable {
    case thresholdAbove = "threshold_above"
    case thresholdBelow = "threshold_below"
    case gap
    case flatLine = "flat_line"
    case outlier
    case idleUse = "idle_use"
    case jobFailed = "job_failed"
    case jobOverdue = "job_overdue"
    case workerDead = "worker_dead"
    case sourceSilent = "source_silent"
    case uplinkStuck = "uplink_stuck"

    /// Whether the kind watches a sensor's values (and so applies to sensors: one, an asset type's, all).
    public var watchesSensors: Bool {
        switch self {
        case .thresholdAbove, .thresholdBelow, .gap, .flatLine, .outlier, .idleUse: true
        case .jobFailed, .jobOverdue, .workerDead, .sourceSilent, .uplinkStuck: false
        }
    }

    /// Whether ingest judges it (from the posted values); the others are judged by the timer.
    public var judgedOnIngest: Bool {
        watchesSensors && self != .gap
    }
}

/// A daily quiet window in the sensor's local time, e.g. 01:00 to 05:00; it may wrap past midnight.
public struct QuietWindow: Sendable, Hashable {
    /// Minutes after local midnight.
    public let startMinute: Int
    public let endMinute: Int

    public init?(startMinute: Int, endMinute: Int) {
        guard (0..<1440).contains(startMinute), (0...1440).contains(endMinute), startMinute != endMinute else { return nil }
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Reads "HH:MM-HH:MM" (24:00 allowed as an end).
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Self.minutes(parts[0]), let end = Self.minutes(parts[1]) else { return nil }
        self.init(startMinute: start, endMinute: end)
    }

    private static func minutes(_ text: Substring) -> Int? {
        let pieces = text.split(separator: ":", omittingEmptySubsequences: false)
        guard pieces.count == 2, pieces[0].count == 2, pieces[1].count == 2,
              let hours = Int(pieces[0]), let minutes = Int(pieces[1]),
              (0...24).contains(hours), (0..<60).contains(minutes), hours * 60 + minutes <= 1440 else { return nil }
        return hours * 60 + minutes
    }

    /// Whether a local minute of the day lies inside.
    public func contains(minuteOfDay minute: Int) -> Bool {
        startMinute < endMinute ? (startMinute..<endMinute).contains(minute) : (minute >= startMinute || minute < endMinute)
    }

    /// "01:00-05:00".
    public var text: String {
        func clock(_ minutes: Int) -> String {
            let hours = minutes / 60, rest = minutes % 60
            return (hours < 10 ? "0" : "") + String(hours) + ":" + (rest < 10 ? "0" : "") + String(rest)
        }
        return clock(startMinute) + "-" + clock(endMinute)
    }
}
