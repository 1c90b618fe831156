import Alerting
import BeliefStore
import Beliefs
import GRDB
import Jobs

/// What one pass of the timer did.
public struct AlertPassReport: Sendable, Hashable {
    /// Alerts judged (rule and subject pairs), firing alerts looked at for reminders included.
    public var alertsJudged = 0
    /// Notices written into the outbox.
    public var notices = 0
    /// Delivered notices past their retention and expired silences deleted (at most `pruneBatch` of each).
    public var prunedNotices = 0
    public var prunedSilences = 0
}

extension AlertEvaluation {
    /// One pass of the timer: gaps of every sensor a gap rule covers, failed and overdue jobs, dead workers
    /// (when `workers` says which queues have a worker in this process and whether it lives), silent data
    /// sources, a stuck uplink, and reminders of firing alerts of every kind; then the pruning of delivered
    /// notices past `retention` and of ended silences. `watchingSince` (the site's start) is the grace period: nothing counts
    /// as silent for longer than the site has been watching.
    static func timerPass(
        now: Instant, watchingSince: Instant, workers: [QueueName: Bool]?, retention: Timespan = .days(30), in db: Database
    ) throws -> AlertPassReport {
        var report = AlertPassReport()
        let noticesBefore = try Int64.fetchOne(db, sql: "SELECT COALESCE(max(id), 0) FROM alert_notification") ?? 0
        let rules = try Row.fetchAll(db, sql: "SELECT \(AlertRule.columns) FROM alert_rule r WHERE r.enabled").compactMap(AlertRule.init(row:))
        var records: [Int64: [Int64: AlertStore.Record]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT a.rule_id, a.subject_id, \(AlertStore.joinedColumns) FROM alert a JOIN alert_rule r ON r.id = a.rule_id WHERE r.enabled
            """) {
            records[row[0], default: [:]][row[1]] = AlertStore.record(joined: row, at: 2)
        }
        var silences = SilenceCache(now: now)
        var sensorActivity: [Int64: Instant]?
        var sourceActivity: [Int64: Instant]?
        var sensors: (all: [(id: Int64, resolution: Timespan)], byAssetType: [String: [Int64]], resolution: [Int64: Timespan])?
        var newestBelief: [Int64: Instant?] = [:]
        var userSources: [Int64]?
        var uplink: UplinkStatus??

        for rule in rules {
            var judgedSubjects = Set<Int64>()
            func judge(_ subject: Int64, _ verdict: TimedVerdict, note: String? = nil) throws {
                var record = records[rule.id]?[subject] ?? .inactive
                try AlertEvaluation.judge([verdict], on: &record, rule: rule, subject: subject, silences: &silences, note: note, now: now, in: db)
                judgedSubjects.insert(subject)
                report.alertsJudged += 1
            }
            switch rule.condition {
            case let .gap(length):
                if sensors == nil { sensors = try sensorTable(in: db) }
                if sensorActivity == nil { sensorActivity = try activity("sensor", in: db) }
                let covered: [Int64]
                switch rule.scope {
                case let .sensor(id): covered = [id]
                case let .assetType(type): covered = sensors!.byAssetType[type] ?? []
                case .site: covered = sensors!.all.map(\.id)
                }
                for sensor in covered {
                    var received = sensorActivity![sensor]
                    if received == nil {
                        // Data stored before alerting watched it (or by an older release): its newest belief time.
                        if newestBelief[sensor] == nil { newestBelief[sensor] = .some(try newestBeliefTime(of: sensor, in: db)) }
                        received = newestBelief[sensor]!
                    }
                    let span = length.length(resolution: sensors!.resolution[sensor] ?? .zero)
                    let verdict = RuleEvaluation.silence(lastReceived: received, watchingSince: watchingSince, now: now, length: span)
                    try judge(sensor, verdict, note: received.map { "Data was last received at \($0.iso8601)." } ?? "This sensor never had data.")
                }
            case let .sourceSilent(sourceID, duration):
                if sourceActivity == nil { sourceActivity = try activity("source", in: db) }
                if userSources == nil { userSources = try Int64.fetchAll(db, sql: "SELECT id FROM data_source WHERE user_id IS NOT NULL ORDER BY id") }
                for source in sourceID.map({ [$0] }) ?? userSources! {
                    let heard = sourceActivity![source]
                    let verdict = RuleEvaluation.silence(lastReceived: heard, watchingSince: watchingSince, now: now, length: duration)
                    try judge(source, verdict, note: heard.map { "Last heard from at \($0.iso8601)." } ?? "Never heard from since alerting started.")
                }
            case let .jobFailed(queue, lookback):
                for name in queues(queue) {
                    let failed = try Int.fetchOne(db, sql: """
                        SELECT count(*) FROM job WHERE queue = ? AND status = 'failed' AND finished_at_us >= ?
                        """, arguments: [name.rawValue, (now - lookback).microsecondsSinceEpoch]) ?? 0
                    try judge(AlertStore.subject(of: name), .at(now, failed > 0 ? .breaching : .clear, value: Double(failed)))
                }
            case let .jobOverdue(queue, overdue):
                for name in queues(queue) {
                    let oldest = try Int64.fetchOne(db, sql: """
                        SELECT min(COALESCE(started_at_us, created_at_us)) FROM job WHERE queue = ? AND status IN ('queued', 'started')
                        """, arguments: [name.rawValue])
                    let late = oldest.map { now - Instant(microsecondsSinceEpoch: $0) >= overdue } ?? false
                    try judge(AlertStore.subject(of: name), .at(now, late ? .breaching : .clear))
                }
            case let .workerDead(queue):
                guard let workers else { break }
                for name in queues(queue) {
                    // A queue without a worker in this process is not this process's to judge.
                    guard let alive = workers[name] else { continue }
                    try judge(AlertStore.subject(of: name), .at(now, alive ? .clear : .breaching))
                }
            case let .uplinkStuck(duration):
                if uplink == nil { uplink = .some(try Site.uplinkStatus(in: db)) }
                let status = uplink!
                let verdict = RuleEvaluation.uplinkBacklog(
                    backlogAge: status?.backlogAge(at: now) ?? .zero, watchingSince: watchingSince, now: now, limit: duration
                )
                try judge(AlertStore.uplinkSubject, verdict, note: status.map(uplinkNote) ?? "No uplink is configured.")
            case .threshold, .flatLine, .outlier, .idleUse:
                break
            }
            // Alerts of sensors that are gone (a site-wide or asset type rule outlives them): told resolved, removed.
            if rule.kind.watchesSensors, let held = records[rule.id], !held.isEmpty {
                if sensors == nil { sensors = try sensorTable(in: db) }
                let gone = Set(held.keys.filter { sensors!.resolution[$0] == nil })
                if !gone.isEmpty {
                    try Site.resolveToldAlerts(of: rule, subjects: gone, note: "The sensor was deleted.", now: now, in: db)
                    for subject in gone { records[rule.id]?[subject] = nil }
                }
            }
            // Reminders (and first notices once a silence ends) of the rule's other firing alerts.
            for (subject, var record) in records[rule.id] ?? [:] where record.status.state == .firing && !judgedSubjects.contains(subject) {
                report.alertsJudged += 1
                guard record.status.reminderDue(timing: rule.timing, muted: false, now: now) else { continue }
                let muted = try silences.mutes(&record, rule: rule, subject: subject, in: db)
                if let notice = record.status.remind(timing: rule.timing, muted: muted, now: now) {
                    try AlertStore.save(record, rule: rule, subject: subject, notice: notice, now: now, in: db)
                }
            }
        }
        report.notices = try Int.fetchOne(db, sql: "SELECT count(*) FROM alert_notification WHERE id > ?", arguments: [noticesBefore]) ?? 0
        (report.prunedNotices, report.prunedSilences) = try prune(now: now, retention: retention, in: db)
        return report
    }

    /// What an uplink alert's notices say of the backlog: how much waits since when, and the last error.
    static func uplinkNote(_ status: UplinkStatus) -> String {
        var note: String
        if let oldest = status.oldestWaiting {
            let beliefs = status.backlogBeliefs, entries = status.backlogEntries
            note = "\(beliefs) belief\(beliefs == 1 ? "" : "s") (\(entries) change\(entries == 1 ? "" : "s")) "
                + "\(beliefs == 1 ? "waits" : "wait") to be forwarded, the oldest stored at \(oldest.iso8601)."
        } else {
            note = "Nothing waits to be forwarded."
        }
        note += status.lastForwarded.map { " Last forwarded at \($0.iso8601)." } ?? " Nothing forwarded since the uplink started."
        if let error = status.lastError { note += " Last error: \(error)" + (error.hasSuffix(".") ? "" : ".") }
        return note
    }

    /// The most notices and silences one pass deletes (of each): a backlog goes over several passes, so that
    /// no pass holds the writer for long.
    static let pruneBatch = 1_000

    /// Deletes delivered notices older than `retention` (by their delivery; notices never delivered wait in
    /// the outbox) and silences that have ended, oldest first, at most `pruneBatch` of each.
    static func prune(now: Instant, retention: Timespan, in db: Database) throws -> (notices: Int, silences: Int) {
        try db.execute(sql: """
            DELETE FROM alert_notification WHERE id IN (
                SELECT id FROM alert_notification WHERE delivered_at_us IS NOT NULL AND delivered_at_us <= ? ORDER BY id LIMIT ?)
            """, arguments: [(now - retention).microsecondsSinceEpoch, pruneBatch])
        let notices = db.changesCount
        try db.execute(sql: """
            DELETE FROM alert_silence WHERE id IN (SELECT id FROM alert_silence WHERE ends_at_us <= ? ORDER BY ends_at_us LIMIT ?)
            """, arguments: [now.microsecondsSinceEpoch, pruneBatch])
        return (notices, db.changesCount)
    }

    static func queues(_ queue: String?) -> [QueueName] {
        queue.flatMap(QueueName.init(rawValue:)).map { [$0] } ?? QueueName.allCases
    }

    static func activity(_ scope: String, in db: Database) throws -> [Int64: Instant] {
        var result: [Int64: Instant] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, last_received_us FROM alert_activity WHERE scope = ? AND last_received_us IS NOT NULL", arguments: [scope]) {
            result[row["id"]] = Instant(microsecondsSinceEpoch: row["last_received_us"])
        }
        return result
    }

    static func sensorTable(in db: Database) throws -> (all: [(id: Int64, resolution: Timespan)], byAssetType: [String: [Int64]], resolution: [Int64: Timespan]) {
        let all = try Row.fetchAll(db, sql: "SELECT id, event_resolution_us FROM sensor ORDER BY id").map {
            (id: $0["id"] as Int64, resolution: Timespan(microseconds: $0["event_resolution_us"]))
        }
        var byType: [String: [Int64]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, asset_type_name FROM asset ORDER BY id") {
            byType[row["asset_type_name"], default: []].append(row["id"])
        }
        return (all, byType, Dictionary(all.map { ($0.id, $0.resolution) }, uniquingKeysWith: { first, _ in first }))
    }

    /// The newest belief time of the sensor's data (not the appliance's own forecasts and plans).
    static func newestBeliefTime(of sensor: Int64, in db: Database) throws -> Instant? {
        try Int64.fetchOne(db, sql: """
            SELECT max(t) FROM (
                SELECT max(max_belief_time_us) AS t FROM belief_segment WHERE sensor_id = ?1 AND source_id NOT IN (SELECT id FROM data_source WHERE type IN (?2, ?3))
                UNION ALL SELECT max(belief_time_us) FROM belief_tail WHERE sensor_id = ?1 AND source_id NOT IN (SELECT id FROM data_source WHERE type IN (?2, ?3)))
            """, arguments: [sensor, SourceType.forecaster.rawValue, SourceType.scheduler.rawValue]).map(Instant.init(microsecondsSinceEpoch:))
    }
}
