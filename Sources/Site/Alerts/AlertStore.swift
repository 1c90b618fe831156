import Alerting
import Beliefs
import GRDB
import Jobs

/// The SQL of alerts: reading and writing one alert's state, its labels, and the notices of the outbox,
/// each inside the caller's transaction (so that a notice is written with the change that asks for it).
enum AlertStore {
    /// One stored alert: its row id (nil before its first change is written), labels and state.
    struct Record {
        var id: Int64?
        var labelsText: String?
        var status: AlertStatus

        static let inactive = Record(id: nil, labelsText: nil, status: AlertStatus())
    }

    /// The columns of an alert joined to its rule (aliased `a`), read by `record(joined:at:)`.
    static let joinedColumns = """
        a.id AS alert_id, a.state AS alert_state, a.labels AS alert_labels, a.value AS alert_value,
        a.active_since_us AS alert_active_since_us, a.fired_at_us AS alert_fired_at_us, a.resolved_at_us AS alert_resolved_at_us,
        a.last_notified_at_us AS alert_last_notified_at_us, a.acknowledged_at_us AS alert_acknowledged_at_us
        """

    /// The alert of a row whose `joinedColumns` start at position `offset` (by position: ingest reads one per
    /// rule of a post); an inactive record when the join found none.
    static func record(joined row: Row, at offset: Int) -> Record {
        guard let id: Int64 = row[offset] else { return .inactive }
        func instant(_ index: Int) -> Instant? { (row[offset + index] as Int64?).map(Instant.init(microsecondsSinceEpoch:)) }
        return Record(
            id: id, labelsText: row[offset + 2],
            status: AlertStatus(
                state: AlertState(rawValue: row[offset + 1]) ?? .inactive, activeSince: instant(4), firedAt: instant(5),
                resolvedAt: instant(6), lastNotifiedAt: instant(7), acknowledged: !(row[offset + 8] as DatabaseValue).isNull,
                value: row[offset + 3]
            )
        )
    }

    /// The labels of `rule` on `subject`: alertname, rule_id, severity, kind, and what it watches
    /// (sensor_id with asset, market or weather_sensor by name; source_id and source; queue).
    static func labels(rule: AlertRule, subject: Int64, in db: Database) throws -> [String: String] {
        var labels = Self.labels(rule: rule)
        if rule.kind.watchesSensors {
            labels.merge(try sensorLabels(subject, in: db)) { _, sensor in sensor }
        } else if rule.kind == .sourceSilent {
            labels["source_id"] = String(subject)
            if let name = try String.fetchOne(db, sql: "SELECT name FROM data_source WHERE id = ?", arguments: [subject]) {
                labels["source"] = name
            }
        } else if let queue = queue(subject: subject) {
            labels["queue"] = queue.rawValue
        }
        return labels
    }

    /// The labels every alert of `rule` has: alertname, rule_id, severity, kind.
    static func labels(rule: AlertRule) -> [String: String] {
        ["alertname": rule.name, "rule_id": String(rule.id), "severity": rule.severity.rawValue, "kind": rule.kind.rawValue]
    }

    /// The labels of a sensor as an alert's subject: sensor_id, and asset, market or weather_sensor by name.
    static func sensorLabels(_ sensor: Int64, in db: Database) throws -> [String: String] {
        var labels = ["sensor_id": String(sensor)]
        if let row = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT 'asset' AS kind, name FROM asset WHERE id = ?1
            UNION ALL SELECT 'market', name FROM market WHERE id = ?1
            UNION ALL SELECT 'weather_sensor', name FROM weather_sensor WHERE id = ?1
            """), arguments: [sensor]) {
            labels[row["kind"] as String] = row["name"]
        }
        return labels
    }

    /// A site has one uplink: its alerts' subject, apart from every sensor, source and queue number (so they
    /// carry no label beyond the rule's own; `kind` says what they watch).
    static let uplinkSubject: Int64 = 0

    /// Job and worker alerts are one per queue: subject 1 is the first queue of `QueueName.allCases`.
    static func subject(of queue: QueueName) -> Int64 { Int64(QueueName.allCases.firstIndex(of: queue)!) + 1 }

    static func queue(subject: Int64) -> QueueName? {
        let index = Int(subject) - 1
        return QueueName.allCases.indices.contains(index) ? QueueName.allCases[index] : nil
    }

    static func labelsJSON(_ labels: [String: String]) -> String {
        JSONWriter.string(.object(labels.mapValues(JSONValue.string)))
    }

    /// An alert's labels as the rules index made them, with their JSON text: what ingest uses instead of
    /// making or parsing them again for each alert (a stored alert told with other labels keeps its own).
    struct KnownLabels: Sendable {
        let labels: [String: String]
        let text: String
        /// `alertFingerprint(labels)`, and the summary of the rule's notices about this subject.
        let fingerprint: String
        let summary: String

        init(rule: AlertRule, labels: [String: String]) {
            self.labels = labels
            text = AlertStore.labelsJSON(labels)
            fingerprint = alertFingerprint(labels)
            summary = AlertNotice.summary(rule: rule, labels: labels)
        }
    }

    static func parseLabels(_ text: String) -> [String: String] {
        guard let value = try? JSONParser.parse(text), case let .object(members) = value else { return [:] }
        return members.compactMapValues(\.stringValue)
    }

    /// Writes `record`'s new state (creating the alert row on its first change) and, when `notice` asks, a
    /// notification into the outbox; both in the caller's transaction. Returns the record as stored.
    @discardableResult
    static func save(
        _ record: Record, rule: AlertRule, subject: Int64, known: KnownLabels? = nil, notice: NoticeKind?, note: String? = nil,
        now: Instant, in db: Database
    ) throws -> Record {
        var saved = record
        let labelsText = try record.labelsText ?? known?.text ?? labelsJSON(labels(rule: rule, subject: subject, in: db))
        saved.labelsText = labelsText
        let status = record.status
        let arguments: StatementArguments = [
            rule.id, subject, status.state.rawValue, labelsText, status.value, status.activeSince?.microsecondsSinceEpoch,
            status.firedAt?.microsecondsSinceEpoch, status.resolvedAt?.microsecondsSinceEpoch,
            status.lastNotifiedAt?.microsecondsSinceEpoch, status.acknowledged, now.microsecondsSinceEpoch,
        ]
        // A stored alert is updated by its id, without RETURNING: the upsert below costs about 150 us, an update
        // with RETURNING about 45 us and one without about 7 us (measured in the benchmark's posts, where each
        // firing alert's reminder writes its alert at every post).
        if let id = record.id {
            try db.cachedStatement(sql: """
                UPDATE alert SET
                    state = ?3, value = ?5, active_since_us = ?6, fired_at_us = ?7, resolved_at_us = ?8, last_notified_at_us = ?9,
                    updated_at_us = ?11,
                    acknowledged_by = CASE WHEN ?10 THEN acknowledged_by END,
                    acknowledged_at_us = CASE WHEN ?10 THEN acknowledged_at_us END,
                    acknowledgement_comment = CASE WHEN ?10 THEN acknowledgement_comment END
                WHERE id = ?12 AND rule_id = ?1 AND subject_id = ?2
                """).execute(arguments: arguments + [id])
            saved.id = db.changesCount > 0 ? id : nil
        }
        if saved.id == nil { saved.id = try Int64.fetchOne(db.cachedStatement(sql: """
            INSERT INTO alert (rule_id, subject_id, state, labels, value, active_since_us, fired_at_us, resolved_at_us,
                last_notified_at_us, updated_at_us)
            SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?11 WHERE EXISTS (SELECT 1 FROM alert_rule WHERE id = ?1)
            ON CONFLICT (rule_id, subject_id) DO UPDATE SET
                state = excluded.state, value = excluded.value, active_since_us = excluded.active_since_us,
                fired_at_us = excluded.fired_at_us, resolved_at_us = excluded.resolved_at_us,
                last_notified_at_us = excluded.last_notified_at_us, updated_at_us = excluded.updated_at_us,
                acknowledged_by = CASE WHEN ?10 THEN acknowledged_by END,
                acknowledged_at_us = CASE WHEN ?10 THEN acknowledged_at_us END,
                acknowledgement_comment = CASE WHEN ?10 THEN acknowledgement_comment END
            RETURNING id
            """), arguments: arguments) }
        // A rule deleted by another process since the index read it: nothing to keep.
        guard saved.id != nil else { return saved }
        if let notice {
            let alertNotice: AlertNotice
            if let known, known.text == labelsText {
                alertNotice = AlertNotice(notice, status: status, rule: rule, labels: known.labels, note: note, summary: known.summary, fingerprint: known.fingerprint)
            } else {
                alertNotice = AlertNotice(notice, status: status, rule: rule, labels: parseLabels(labelsText), note: note)
            }
            try db.cachedStatement(sql: """
                INSERT INTO alert_notification (alert_id, rule_id, status, labels, annotations, fingerprint, starts_at_us, ends_at_us, created_at_us)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    saved.id, rule.id, alertNotice.status.rawValue, labelsText,
                    JSONWriter.string(.object(alertNotice.annotations.mapValues(JSONValue.string))), alertNotice.fingerprint,
                    alertNotice.startsAt.microsecondsSinceEpoch, alertNotice.endsAt?.microsecondsSinceEpoch, now.microsecondsSinceEpoch,
                ])
        }
        return saved
    }

    /// The silences in force at `instant`.
    static func silences(at instant: Instant, in db: Database) throws -> [Silence] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT matchers, starts_at_us, ends_at_us FROM alert_silence WHERE ends_at_us > ? AND starts_at_us <= ?"),
                         arguments: [instant.microsecondsSinceEpoch, instant.microsecondsSinceEpoch]).map(silence(row:))
    }

    static func silence(row: Row) -> Silence {
        let matchers = ((try? JSONParser.parse(row["matchers"] as String))?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(LabelMatcher.init(parsing:)) }
        return Silence(
            matchers: matchers, startsAt: Instant(microsecondsSinceEpoch: row["starts_at_us"]), endsAt: Instant(microsecondsSinceEpoch: row["ends_at_us"])
        )
    }
}

/// The silences of one evaluation pass, read when first needed (most passes need none).
struct SilenceCache {
    let now: Instant
    private var loaded: [Silence]?

    init(now: Instant) { self.now = now }

    mutating func mutes(
        _ record: inout AlertStore.Record, rule: AlertRule, subject: Int64, known: AlertStore.KnownLabels? = nil, in db: Database
    ) throws -> Bool {
        if loaded == nil { loaded = try AlertStore.silences(at: now, in: db) }
        guard let silences = loaded, !silences.isEmpty else { return false }
        if record.labelsText == nil {
            record.labelsText = try known?.text ?? AlertStore.labelsJSON(AlertStore.labels(rule: rule, subject: subject, in: db))
        }
        let labels = known.flatMap { $0.text == record.labelsText ? $0.labels : nil } ?? AlertStore.parseLabels(record.labelsText!)
        return silences.contains { $0.mutes(labels, at: now) }
    }
}
