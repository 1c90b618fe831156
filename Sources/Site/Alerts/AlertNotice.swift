import Alerting
import Beliefs

/// One notification of the outbox (`alert_notification`), in the shape of an alert of Prometheus
/// Alertmanager's webhook (version 4): what delivery (mail, webhook) sends. Written in the transaction of
/// the state change that asks for it; `Site.undeliveredNotices` reads them, `markNoticesDelivered` ticks
/// them off.
///
/// Labels: `alertname` (the rule's name), `rule_id`, `severity`, `kind`, and what the alert watches:
/// `sensor_id` with `asset`, `market` or `weather_sensor` (its name); `source_id` and `source`; or `queue`
/// (an uplink alert has none of them).
/// Annotations: `summary` and `description`. Times are ISO 8601 in JSON; `endsAt` is set once resolved.
public struct AlertNotice: Codable, Sendable, Hashable {
    public enum Status: String, Codable, Sendable, Hashable {
        case firing, resolved
    }

    public var status: Status
    public var labels: [String: String]
    public var annotations: [String: String]
    /// When the breach began (the start of its pending time).
    public var startsAt: Instant
    /// When it resolved; nil while firing.
    public var endsAt: Instant?
    /// The identity of the label set (`alertFingerprint`): the same alert always has the same one.
    public var fingerprint: String

    public init(status: Status, labels: [String: String], annotations: [String: String], startsAt: Instant, endsAt: Instant?) {
        self.status = status
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        fingerprint = alertFingerprint(labels)
    }

    /// The notice of `kind` about an alert of `rule` now in `status`; `note` adds to the description.
    /// `summary` and `fingerprint`, when given, are those of `rule` and `labels`, made beforehand.
    init(
        _ kind: NoticeKind, status alert: AlertStatus, rule: AlertRule, labels: [String: String], note: String?, summary: String? = nil,
        fingerprint: String? = nil
    ) {
        let started = alert.activeSince ?? alert.firedAt ?? .epoch
        var description: String
        switch kind {
        case .firing: description = "Firing since \(alert.firedAt?.iso8601 ?? started.iso8601) (breaching since \(started.iso8601))."
        case .reminder: description = "Still firing since \(alert.firedAt?.iso8601 ?? started.iso8601) (a reminder)."
        case .resolved: description = "Resolved at \(alert.resolvedAt?.iso8601 ?? "?") after breaching since \(started.iso8601)."
        }
        if let value = alert.value { description += " Last value: \(value)." }
        if let note { description += " " + note }
        status = kind == .resolved ? .resolved : .firing
        self.labels = labels
        annotations = ["summary": summary ?? Self.summary(rule: rule, labels: labels), "description": description]
        startsAt = started
        endsAt = kind == .resolved ? alert.resolvedAt : nil
        self.fingerprint = fingerprint ?? alertFingerprint(labels)
    }

    /// The summary of `rule`'s notices about the subject of `labels`: "battery hot: asset battery 1 above 25".
    static func summary(rule: AlertRule, labels: [String: String]) -> String {
        let named: [(key: String, word: String)] = [
            ("asset", "asset"), ("market", "market"), ("weather_sensor", "weather sensor"), ("sensor_id", "sensor"),
            ("source", "data source"), ("queue", "queue"),
        ]
        let subject = named.first { labels[$0.key] != nil }.map { "\($0.word) \(labels[$0.key]!)" } ?? "the site"
        return "\(rule.name): \(subject) \(rule.conditionText)"
    }

    enum CodingKeys: String, CodingKey {
        case status, labels, annotations, startsAt, endsAt, fingerprint
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decode(Status.self, forKey: .status)
        labels = try container.decode([String: String].self, forKey: .labels)
        annotations = try container.decode([String: String].self, forKey: .annotations)
        func instant(_ text: String, _ key: CodingKeys) throws -> Instant {
            do { return try Instant.parseISO8601(text) } catch {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "not an ISO 8601 datetime: \(text)")
            }
        }
        startsAt = try instant(try container.decode(String.self, forKey: .startsAt), .startsAt)
        endsAt = try container.decodeIfPresent(String.self, forKey: .endsAt).map { try instant($0, .endsAt) }
        fingerprint = try container.decode(String.self, forKey: .fingerprint)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(status, forKey: .status)
        try container.encode(labels, forKey: .labels)
        try container.encode(annotations, forKey: .annotations)
        try container.encode(startsAt.iso8601, forKey: .startsAt)
        try container.encodeIfPresent(endsAt?.iso8601, forKey: .endsAt)
        try container.encode(fingerprint, forKey: .fingerprint)
    }
}

/// A notice in the outbox, with its place there.
public struct AlertOutboxEntry: Sendable, Hashable {
    public let id: Int64
    public let alertID: Int64?
    public let ruleID: Int64
    public let notice: AlertNotice
    public let createdAt: Instant
    public let deliveredAt: Instant?
}
