import Alerting
import Beliefs
import GRDB

/// An alert: one rule on one subject (a sensor, a data source, a queue, the uplink), its state and what was told.
public struct Alert: Sendable, Hashable {
    public let id: Int64
    public let ruleID: Int64
    public let ruleName: String
    public let kind: RuleKind
    public let severity: AlertSeverity
    /// The sensor (data rules), the data source (source_silent), the queue's number (job and worker rules) or 0
    /// (uplink_stuck).
    public let subjectID: Int64
    public let state: AlertState
    public let labels: [String: String]
    public let value: Double?
    public let activeSince: Instant?
    public let firedAt: Instant?
    public let resolvedAt: Instant?
    public let lastNotifiedAt: Instant?
    public let acknowledgement: Acknowledgement?
    /// Whether a silence mutes it now.
    public let silenced: Bool

    /// Who acknowledged a pending or firing alert, when and why; cleared when it resolves.
    public struct Acknowledgement: Sendable, Hashable {
        public let by: String
        public let at: Instant
        public let comment: String
    }

    static let query = """
        SELECT a.id, a.rule_id, r.name AS rule_name, r.kind, r.severity, a.subject_id, a.state, a.labels, a.value, a.active_since_us,
            a.fired_at_us, a.resolved_at_us, a.last_notified_at_us, a.acknowledged_by, a.acknowledged_at_us,
            a.acknowledgement_comment, r.sensor_id AS rule_sensor_id
        FROM alert a JOIN alert_rule r ON r.id = a.rule_id
        """

    init(row: Row, silences: [Silence], now: Instant) {
        func instant(_ column: String) -> Instant? { (row[column] as Int64?).map(Instant.init(microsecondsSinceEpoch:)) }
        id = row["id"]
        ruleID = row["rule_id"]
        ruleName = row["rule_name"]
        kind = RuleKind(rawValue: row["kind"]) ?? .thresholdAbove
        severity = AlertSeverity(rawValue: row["severity"]) ?? .warning
        subjectID = row["subject_id"]
        state = AlertState(rawValue: row["state"]) ?? .inactive
        labels = AlertStore.parseLabels(row["labels"])
        value = row["value"]
        activeSince = instant("active_since_us")
        firedAt = instant("fired_at_us")
        resolvedAt = instant("resolved_at_us")
        lastNotifiedAt = instant("last_notified_at_us")
        if let by: String = row["acknowledged_by"], let at = instant("acknowledged_at_us") {
            acknowledgement = Acknowledgement(by: by, at: at, comment: row["acknowledgement_comment"] ?? "")
        } else {
            acknowledgement = nil
        }
        let labels = self.labels
        silenced = silences.contains { $0.mutes(labels, at: now) }
    }

    /// The alert as the API and `show alerts` give it.
    public var json: JSONValue {
        func time(_ instant: Instant?) -> JSONValue { instant.map { .string($0.iso8601) } ?? .null }
        return .object([
            "id": .number(Double(id)), "rule_id": .number(Double(ruleID)), "rule_name": .string(ruleName),
            "kind": .string(kind.rawValue), "severity": .string(severity.rawValue), "subject_id": .number(Double(subjectID)),
            "state": .string(state.rawValue), "labels": .object(labels.mapValues(JSONValue.string)),
            "value": value.map(JSONValue.number) ?? .null, "active_since": time(activeSince), "fired_at": time(firedAt),
            "resolved_at": time(resolvedAt), "last_notified_at": time(lastNotifiedAt), "silenced": .bool(silenced),
            "acknowledgement": acknowledgement.map {
                .object(["by": .string($0.by), "at": .string($0.at.iso8601), "comment": .string($0.comment)])
            } ?? .null,
        ])
    }
}

/// A silence as stored.
public struct AlertSilence: Sendable, Hashable {
    public let id: Int64
    public let silence: Silence
    public let comment: String
    public let createdBy: String?

    public var json: JSONValue {
        .object([
            "id": .number(Double(id)),
            "matchers": .array(silence.matchers.map {
                .object(["name": .string($0.name), "value": .string($0.value), "isEqual": .bool($0.equal), "isRegex": .bool(false)])
            }),
            "starts_at": .string(silence.startsAt.iso8601), "ends_at": .string(silence.endsAt.iso8601),
            "comment": .string(comment), "created_by": createdBy.map(JSONValue.string) ?? .null,
        ])
    }
}
