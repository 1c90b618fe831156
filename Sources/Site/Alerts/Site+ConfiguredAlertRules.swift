import Alerting
import Beliefs
import GRDB

/// A rule of the configuration file that cannot be applied: which one (its place in the file's list) and why.
public struct ConfiguredAlertRuleError: Error, Sendable, CustomStringConvertible {
    public let index: Int
    public let error: AlertError

    public var description: String { error.description }
}

/// What applying the configuration file's rules changed.
public struct ConfiguredAlertRules: Sendable, Hashable {
    public var added = 0
    public var changed = 0
    public var removed = 0

    public init(added: Int = 0, changed: Int = 0, removed: Int = 0) {
        self.added = added
        self.changed = changed
        self.removed = removed
    }
}

extension Site {
    /// Who the rules of the configuration file are made by; the file owns them.
    public static let configuredRulesAuthor = "config"

    /// Makes the site's configured rules (those made by `configuredRulesAuthor`) what `rules` (the
    /// `[[alert_rule]]` tables of the configuration file) say, by name, in one transaction: new names are
    /// added, known ones changed where they differ (their told firing alerts told resolved under the labels
    /// they were told with, and judged anew), names no longer in the
    /// file removed (their firing alerts told resolved). Rules made through the API or the CLI are left
    /// alone. Every rule is checked as the API checks one; one bad rule changes nothing.
    public func applyConfiguredAlertRules(_ rules: [JSONValue]) async throws -> ConfiguredAlertRules {
        let now = clock()
        let author = Self.configuredRulesAuthor
        let result = try await store.write { db -> ConfiguredAlertRules in
            var report = ConfiguredAlertRules()
            var existing: [String: AlertRule] = [:]
            for rule in try Row.fetchAll(db, sql: "SELECT \(AlertRule.columns) FROM alert_rule r WHERE r.created_by = ?", arguments: [author])
                .compactMap(AlertRule.init(row:)) {
                existing[rule.name] = rule
            }
            var named = Set<String>()
            let columns = AlertRuleDraft.columnNames
            for (index, fields) in rules.enumerated() {
                let values: [String: DatabaseValue]
                do {
                    values = try AlertRuleDraft.check(fields, in: db).values
                } catch let error as AlertError {
                    throw ConfiguredAlertRuleError(index: index, error: error)
                }
                let name = fields["name"]?.stringValue ?? ""
                guard named.insert(name).inserted else {
                    throw ConfiguredAlertRuleError(index: index, error: .invalid(["name": ["Another rule of the file has this name."]], "the alert rule"))
                }
                if let known = existing[name] {
                    if try Self.changeRule(known, to: values, note: "The rule was changed in the configuration file.", now: now, in: db) {
                        report.changed += 1
                    }
                } else {
                    let names = columns + ["created_by", "created_at_us"]
                    try db.execute(
                        sql: "INSERT INTO alert_rule (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))",
                        arguments: StatementArguments(columns.map { values[$0] ?? .null } + [author.databaseValue, now.microsecondsSinceEpoch.databaseValue])
                    )
                    report.added += 1
                }
            }
            for (name, rule) in existing where !named.contains(name) {
                try Self.removeRule(rule, note: "The rule was removed from the configuration file.", now: now, in: db)
                report.removed += 1
            }
            return report
        }
        alertRules.invalidate()
        return result
    }

    /// Deletes a rule and its alerts, telling its told firing alerts resolved.
    static func removeRule(_ rule: AlertRule, note: String, now: Instant, in db: Database) throws {
        try resolveToldAlerts(of: rule, note: note, now: now, in: db)
        try db.execute(sql: "DELETE FROM alert_rule WHERE id = ?", arguments: [rule.id])
    }

    /// Stores `values` (checked by `AlertRuleDraft`) as the rule's, when they differ from what it has: its told
    /// firing alerts are told resolved under the labels they were told with, and its alerts start anew (a
    /// receiver matches alerts by labels). False, changing nothing, when nothing differs.
    static func changeRule(_ rule: AlertRule, to values: [String: DatabaseValue], note: String, now: Instant, in db: Database) throws -> Bool {
        let columns = AlertRuleDraft.columnNames
        let stored = try Row.fetchOne(db, sql: "SELECT \(columns.joined(separator: ", ")) FROM alert_rule WHERE id = ?", arguments: [rule.id])!
        guard columns.enumerated().contains(where: { stored[$0.offset] as DatabaseValue != values[$0.element] ?? .null }) else { return false }
        try resolveToldAlerts(of: rule, note: note, now: now, in: db)
        try db.execute(
            sql: "UPDATE alert_rule SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?",
            arguments: StatementArguments(columns.map { values[$0] ?? .null } + [rule.id.databaseValue])
        )
        return true
    }

    /// Tells every firing alert of `rule` that was told (of `subjects` only, when given) resolved, and removes
    /// those alerts: a receiver is never left with an alert that nobody will resolve.
    static func resolveToldAlerts(of rule: AlertRule, subjects: Set<Int64>? = nil, note: String, now: Instant, in db: Database) throws {
        let rows = try Row.fetchAll(db, sql: """
            SELECT a.subject_id, \(AlertStore.joinedColumns) FROM alert a WHERE a.rule_id = ? AND a.state = 'firing'
                AND a.last_notified_at_us IS NOT NULL
            """, arguments: [rule.id])
        for row in rows {
            let subject: Int64 = row[0]
            guard subjects?.contains(subject) ?? true else { continue }
            var record = AlertStore.record(joined: row, at: 1)
            record.status.state = .resolved
            record.status.resolvedAt = now
            try AlertStore.save(record, rule: rule, subject: subject, notice: .resolved, note: note, now: now, in: db)
        }
        if let subjects {
            for subject in subjects {
                try db.execute(sql: "DELETE FROM alert WHERE rule_id = ? AND subject_id = ?", arguments: [rule.id, subject])
            }
        } else {
            try db.execute(sql: "DELETE FROM alert WHERE rule_id = ?", arguments: [rule.id])
        }
    }

    /// Before sensors go (an asset or a user deleted): every rule's told firing alerts about them are told
    /// resolved, since the cascade would otherwise drop them (and the rules on those sensors) unannounced.
    static func resolveAlerts(aboutSensors sensors: [SensorID], note: String, now: Instant, in db: Database) throws {
        guard !sensors.isEmpty else { return }
        let ruleIDs = try Int64.fetchAll(db, sql: """
            SELECT DISTINCT rule_id FROM alert WHERE subject_id IN (\(databaseQuestionMarks(count: sensors.count)))
            """, arguments: StatementArguments(sensors))
        for ruleID in ruleIDs {
            let rule = try Self.rule(id: ruleID, managedBy: nil, in: db)
            guard rule.kind.watchesSensors else { continue }
            try resolveToldAlerts(of: rule, subjects: Set(sensors), note: note, now: now, in: db)
        }
    }
}
