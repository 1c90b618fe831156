import Alerting
import BeliefStore
import Beliefs
import Jobs
import GRDB

/// A rule as a client sends it (the API's JSON, or the CLI's flags put in the same form), checked field by
/// field against the database: every problem is collected and named by its field, so one answer says all
/// there is to fix. Every value is bounded: names of at most 200 characters, finite numbers of at most
/// 1e15 in size, durations within `DurationBounds`, ids that exist.
///
/// Fields: `name`, `kind`, `sensor_id` or `asset_type` (neither: the whole site), `severity`
/// (info|warning|critical, default warning), `for` (ISO 8601, default PT0S), `repeat_interval` (default
/// PT4H, null for none), `enabled` (default true), and per kind: threshold_above/below `value`,
/// `recovery` (default `value`); gap `duration` or `resolutions` (default 3); flat_line `duration`; outlier
/// `baseline` (last_week|forecast), `factor` (default 5), `floor` (default 0); idle_use `level` (default 0),
/// `window` ("01:00-05:00", optional); job_failed `queue`, `duration` (lookback, default PT1H); job_overdue
/// `queue`, `duration`; worker_dead `queue`; source_silent `source_id` (optional), `duration`; uplink_stuck
/// `duration` (how long the oldest change may wait for the fleet uplink).
struct AlertRuleDraft {
    static let commonFields: Set<String> = ["name", "kind", "sensor_id", "asset_type", "severity", "for", "repeat_interval", "enabled"]
    static let readOnlyFields: Set<String> = ["id", "created_by"]
    static let maximumMagnitude = 1e15

    /// What a duration field may be: `for` from PT0S (fire at once) to P30D; `repeat_interval` from PT1M
    /// (the timer judges every 30 s by default: shorter reminders would be one notice per pass) to P30D; a
    /// kind's `duration` (a gap, a flat line, a job's lookback or lateness, a source's silence, the uplink's
    /// backlog) from PT1M to
    /// P366D. What a client sends beyond them is refused, whatever the front end.
    struct DurationBounds: Sendable {
        let minimum: Timespan
        let maximum: Timespan

        var text: String { "from \(minimum.iso8601) to \(maximum.iso8601)" }
        func contains(_ span: Timespan) -> Bool { span >= minimum && span <= maximum }

        static let holdFor = DurationBounds(minimum: .zero, maximum: .days(30))
        static let repeatInterval = DurationBounds(minimum: .minutes(1), maximum: .days(30))
        static let kindDuration = DurationBounds(minimum: .minutes(1), maximum: .days(366))
    }

    static func fields(of kind: RuleKind) -> Set<String> {
        switch kind {
        case .thresholdAbove, .thresholdBelow: ["value", "recovery"]
        case .gap: ["duration", "resolutions"]
        case .flatLine: ["duration"]
        case .outlier: ["baseline", "factor", "floor"]
        case .idleUse: ["level", "window"]
        case .jobFailed, .jobOverdue: ["queue", "duration"]
        case .workerDead: ["queue"]
        case .sourceSilent: ["source_id", "duration"]
        case .uplinkStuck: ["duration"]
        }
    }

    /// The columns of `alert_rule` (but id, created_by, created_at), in this order.
    static let columnNames = [
        "name", "kind", "sensor_id", "asset_type", "severity", "for_us", "repeat_us", "enabled", "value", "recovery",
        "duration_us", "resolutions", "factor", "floor", "baseline", "level", "quiet_window", "queue", "source_id",
    ]

    var values: [String: DatabaseValue] = [:]
    var errors: [String: [String]] = [:]
    let sent: [String: JSONValue]

    /// Checks `body` (for a change: the stored rule's fields with the sent ones on top).
    static func check(_ body: JSONValue, in db: Database) throws -> (values: [String: DatabaseValue], scope: AlertScope) {
        guard case let .object(sent) = body else {
            throw AlertError.invalid(["_schema": ["Invalid input type: expected an object, got \(body.kindName)."]], "the alert rule")
        }
        var draft = AlertRuleDraft(sent: sent)
        let scope = try draft.run(in: db)
        guard draft.errors.isEmpty else { throw AlertError.invalid(draft.errors, "the alert rule") }
        return (draft.values, scope)
    }

    private mutating func fail(_ field: String, _ message: String) {
        errors[field, default: []].append(message)
    }

    private mutating func run(in db: Database) throws -> AlertScope {
        let kind = self.kind()
        let allowed = Self.commonFields.union(kind.map(Self.fields(of:)) ?? Set(RuleKind.allCases.flatMap(Self.fields(of:))))
        for key in sent.keys.sorted() where !allowed.contains(key) && !Self.readOnlyFields.contains(key) {
            fail(key, kind.map { "Unknown field for kind \($0.rawValue)." } ?? "Unknown field.")
        }
        for column in Self.columnNames { values[column] = .null }
        if let name = string("name", required: true) {
            if name.trimmingCharacters(in: .whitespaces).isEmpty || name.count > 200 {
                fail("name", "Length must be between 1 and 200, not only spaces.")
            } else if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                // SQLite's text ends at a NUL, and a terminal obeys the others: names are shown in both.
                fail("name", "Must not contain control characters (NUL, newlines, escapes).")
            } else {
                values["name"] = name.databaseValue
            }
        }
        values["kind"] = kind?.rawValue.databaseValue ?? .null
        let severity = string("severity") ?? "warning"
        if AlertSeverity(rawValue: severity) == nil { fail("severity", "Must be one of: info, warning, critical.") }
        values["severity"] = severity.databaseValue
        values["for_us"] = (duration("for", within: .holdFor) ?? .zero).microseconds.databaseValue
        if let repeatInterval = sent["repeat_interval"], repeatInterval == .null {
            values["repeat_us"] = .null
        } else {
            values["repeat_us"] = (duration("repeat_interval", within: .repeatInterval) ?? .hours(4)).microseconds.databaseValue
        }
        if let enabled = sent["enabled"], enabled != .null {
            if let flag = enabled.boolValue { values["enabled"] = flag.databaseValue } else { fail("enabled", "Not a valid boolean.") }
        } else {
            values["enabled"] = true.databaseValue
        }

        var scope = AlertScope.site
        let sensor = id("sensor_id")
        let assetType = string("asset_type")
        if let kind, !kind.watchesSensors {
            if sensor != nil { fail("sensor_id", "A \(kind.rawValue) rule watches the site, not a sensor.") }
            if assetType != nil { fail("asset_type", "A \(kind.rawValue) rule watches the site, not an asset type.") }
        } else if sensor != nil, assetType != nil {
            fail("asset_type", "Give a sensor_id or an asset_type, not both.")
        } else if let sensor {
            if try SensorCatalog.sensorShape(id: sensor, in: db) == nil { fail("sensor_id", "No sensor with id \(sensor).") }
            values["sensor_id"] = sensor.databaseValue
            scope = .sensor(sensor)
        } else if let assetType {
            if try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM asset_type WHERE name = ?)", arguments: [assetType])! {
                fail("asset_type", "No asset type named \(assetType).")
            }
            values["asset_type"] = assetType.databaseValue
            scope = .assetType(assetType)
        }

        switch kind {
        case nil: break
        case .thresholdAbove, .thresholdBelow:
            if let value = number("value", required: true) {
                let recovery = number("recovery") ?? value
                values["value"] = value.databaseValue
                values["recovery"] = recovery.databaseValue
                if kind == .thresholdAbove, recovery > value { fail("recovery", "Must not be above value for threshold_above.") }
                if kind == .thresholdBelow, recovery < value { fail("recovery", "Must not be below value for threshold_below.") }
            }
        case .gap:
            if sent["duration"] != nil, sent["duration"] != .null, sent["resolutions"] != nil, sent["resolutions"] != .null {
                fail("resolutions", "Give a duration or a number of resolutions, not both.")
            } else if let span = duration("duration") {
                values["duration_us"] = span.microseconds.databaseValue
            } else if sent["duration"] == nil || sent["duration"] == .null {
                values["resolutions"] = (count("resolutions") ?? 3).databaseValue
            }
        case .flatLine, .uplinkStuck:
            values["duration_us"] = duration("duration", required: true)?.microseconds.databaseValue ?? .null
        case .outlier:
            let baseline = string("baseline") ?? RuleCondition.Baseline.lastWeek.rawValue
            if RuleCondition.Baseline(rawValue: baseline) == nil { fail("baseline", "Must be one of: last_week, forecast.") }
            values["baseline"] = baseline.databaseValue
            let factor = number("factor") ?? 5
            if factor <= 0 { fail("factor", "Must be above 0.") }
            values["factor"] = factor.databaseValue
            let floor = number("floor") ?? 0
            if floor < 0 { fail("floor", "Must not be negative.") }
            values["floor"] = floor.databaseValue
        case .idleUse:
            values["level"] = (number("level") ?? 0).databaseValue
            if let window = string("window") {
                if let parsed = QuietWindow(parsing: window) { values["quiet_window"] = parsed.text.databaseValue } else {
                    fail("window", "Not a valid window: give local times as HH:MM-HH:MM, e.g. 01:00-05:00.")
                }
            }
        case .jobFailed, .jobOverdue, .workerDead:
            if let queue = string("queue") {
                if QueueName(rawValue: queue) != nil { values["queue"] = queue.databaseValue } else {
                    fail("queue", "Must be one of: \(QueueName.allCases.map(\.rawValue).joined(separator: ", ")).")
                }
            }
            if kind != .workerDead {
                values["duration_us"] = (duration("duration", required: kind == .jobOverdue) ?? .hours(1)).microseconds.databaseValue
            }
        case .sourceSilent:
            if let source = id("source_id") {
                if try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM data_source WHERE id = ?)", arguments: [source])! {
                    fail("source_id", "No data source with id \(source).")
                }
                values["source_id"] = source.databaseValue
            }
            values["duration_us"] = duration("duration", required: true)?.microseconds.databaseValue ?? .null
        }
        return scope
    }

    private mutating func kind() -> RuleKind? {
        guard let text = string("kind", required: true) else { return nil }
        guard let kind = RuleKind(rawValue: text) else {
            fail("kind", "Must be one of: \(RuleKind.allCases.map(\.rawValue).joined(separator: ", ")).")
            return nil
        }
        return kind
    }

    private mutating func string(_ field: String, required: Bool = false) -> String? {
        guard let value = sent[field], value != .null else {
            if required { fail(field, "Missing data for required field.") }
            return nil
        }
        guard let text = value.stringValue else {
            fail(field, "Not a valid string.")
            return nil
        }
        guard text.utf8.count <= 1000 else {
            fail(field, "Longer than 1000 bytes.")
            return nil
        }
        return text
    }

    private mutating func number(_ field: String, required: Bool = false) -> Double? {
        guard let value = sent[field], value != .null else {
            if required { fail(field, "Missing data for required field.") }
            return nil
        }
        guard let number = value.numberValue, number.isFinite, abs(number) <= Self.maximumMagnitude else {
            fail(field, "Not a valid number (finite, at most 1e15 in size).")
            return nil
        }
        return number
    }

    private mutating func id(_ field: String) -> Int64? {
        guard let value = sent[field], value != .null else { return nil }
        guard let id = value.int64Value, id >= 1 else {
            fail(field, "Not a valid id.")
            return nil
        }
        return id
    }

    private mutating func count(_ field: String) -> Int64? {
        guard let value = sent[field], value != .null else { return nil }
        guard let count = value.int64Value, (1...10_000).contains(count) else {
            fail(field, "Must be a whole number from 1 to 10000.")
            return nil
        }
        return count
    }

    private mutating func duration(_ field: String, required: Bool = false, within bounds: DurationBounds = .kindDuration) -> Timespan? {
        guard let value = sent[field], value != .null else {
            if required { fail(field, "Missing data for required field.") }
            return nil
        }
        guard let text = value.stringValue, let span = try? Timespan.parseISO8601(text) else {
            fail(field, "Not a valid ISO 8601 duration (e.g. PT15M).")
            return nil
        }
        guard bounds.contains(span) else {
            fail(field, "Must be \(bounds.text).")
            return nil
        }
        return span
    }
}

extension AlertRule {
    /// The rule as the API and `show alerts` give it, in the form `AlertRuleDraft` reads.
    public var json: JSONValue {
        var members: [String: JSONValue] = [
            "id": .number(Double(id)), "name": .string(name), "kind": .string(kind.rawValue),
            "sensor_id": .null, "asset_type": .null, "severity": .string(severity.rawValue),
            "for": .string(timing.holdFor.iso8601), "repeat_interval": timing.repeatInterval.map { .string($0.iso8601) } ?? .null,
            "enabled": .bool(enabled), "created_by": createdBy.map(JSONValue.string) ?? .null,
        ]
        switch scope {
        case let .sensor(sensor): members["sensor_id"] = .number(Double(sensor))
        case let .assetType(type): members["asset_type"] = .string(type)
        case .site: break
        }
        switch condition {
        case let .threshold(threshold):
            members["value"] = .number(threshold.trigger)
            members["recovery"] = .number(threshold.recovery)
        case let .gap(.duration(span)): members["duration"] = .string(span.iso8601)
        case let .gap(.resolutions(count)): members["resolutions"] = .number(Double(count))
        case let .flatLine(duration): members["duration"] = .string(duration.iso8601)
        case let .outlier(baseline, factor, floor):
            members["baseline"] = .string(baseline.rawValue)
            members["factor"] = .number(factor)
            members["floor"] = .number(floor)
        case let .idleUse(level, window):
            members["level"] = .number(level)
            if let window { members["window"] = .string(window.text) }
        case let .jobFailed(queue, span), let .jobOverdue(queue, span):
            if let queue { members["queue"] = .string(queue) }
            members["duration"] = .string(span.iso8601)
        case let .workerDead(queue):
            if let queue { members["queue"] = .string(queue) }
        case let .sourceSilent(source, duration):
            if let source { members["source_id"] = .number(Double(source)) }
            members["duration"] = .string(duration.iso8601)
        case let .uplinkStuck(duration):
            members["duration"] = .string(duration.iso8601)
        }
        return .object(members)
    }
}
