import Alerting
import BeliefStore
import Beliefs
import GRDB
import Jobs
import Registry

/// Alerting, whatever the front end: rules (an asset's owner manages the rules of their assets' sensors,
/// admins every rule; `user` nil is the site's operator at the command line, who may do everything),
/// alerts with their acknowledgements, silences, the timer's pass and the outbox that delivery reads.
extension Site {
    /// The shortest and the longest silence and the most matchers one may have.
    public static let minimumSilence = Timespan.minutes(1)
    public static let maximumSilence = Timespan.days(366)
    public static let maximumMatchers = 20
    /// The most rules and the most silences in force a site keeps: each rule is judged on every ingest of
    /// its sensors or every timer pass, so their number is bounded like everything a client can make.
    public static let maximumAlertRules = 10_000
    public static let maximumActiveSilences = 1_000
    /// A user who is no admin may have a tenth of each: the rules on their assets, the silences in force that
    /// they made; so that one prosumer cannot use up what the site keeps for everyone.
    public static let maximumAlertRulesPerOwner = maximumAlertRules / 10
    public static let maximumActiveSilencesPerUser = maximumActiveSilences / 10

    // MARK: Rules

    /// The rules `user` may see: all for admins and the operator, else those on the user's assets.
    public func alertRules(visibleTo user: User?) throws -> [AlertRule] {
        try alertRules(visibleTo: user, page: nil).items
    }

    /// One page of the rules `user` may see, by id.
    public func alertRules(visibleTo user: User?, page: Paging?) throws -> Paged<AlertRule> {
        try store.database.pool.read { db in
            let condition = "?1 IS NULL OR r.sensor_id IN (SELECT id FROM asset WHERE owner_id = ?1)"
            let owner = Self.restriction(user)
            let rules = try Row.fetchAll(db, sql: """
                SELECT \(AlertRule.columns) FROM alert_rule r WHERE \(condition) ORDER BY r.id LIMIT ?2 OFFSET ?3
                """, arguments: [owner, page?.perPage ?? -1, page?.offset ?? 0]).compactMap(AlertRule.init(row:))
            let total = page == nil ? rules.count
                : try Int.fetchOne(db, sql: "SELECT count(*) FROM alert_rule r WHERE \(condition)", arguments: [owner]) ?? 0
            return Paged(items: rules, total: total, paging: page ?? .first)
        }
    }

    /// One rule: not found when there is none, forbidden when it is not the user's to see.
    public func alertRule(id: Int64, visibleTo user: User?) throws -> AlertRule {
        try store.database.pool.read { db in try Self.rule(id: id, managedBy: user, in: db) }
    }

    /// Adds a rule from its fields (see `AlertRuleDraft` for the fields, the API's JSON and the CLI's flags).
    public func addAlertRule(_ fields: JSONValue, by user: User?) async throws -> AlertRule {
        let now = clock()
        return try await store.write { db in
            let (values, scope) = try AlertRuleDraft.check(fields, in: db)
            try Self.requireManage(scope, user, in: db)
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM alert_rule")! < Self.maximumAlertRules else {
                throw AlertError(.tooMany(limit: Self.maximumAlertRules), "the site has \(Self.maximumAlertRules) alert rules, the most it keeps: delete some first")
            }
            if let owner = Self.restriction(user), try Int.fetchOne(db, sql: """
                SELECT count(*) FROM alert_rule WHERE sensor_id IN (SELECT id FROM asset WHERE owner_id = ?)
                """, arguments: [owner])! >= Self.maximumAlertRulesPerOwner {
                throw AlertError(
                    .tooMany(limit: Self.maximumAlertRulesPerOwner),
                    "your assets have \(Self.maximumAlertRulesPerOwner) alert rules, the most a user who is no admin may have (a tenth of the site's \(Self.maximumAlertRules)): delete some first"
                )
            }
            let names = AlertRuleDraft.columnNames + ["created_by", "created_at_us"]
            var arguments = AlertRuleDraft.columnNames.map { values[$0] ?? .null }
            arguments += [(user?.username ?? "cli").databaseValue, now.microsecondsSinceEpoch.databaseValue]
            try db.execute(
                sql: "INSERT INTO alert_rule (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))",
                arguments: StatementArguments(arguments)
            )
            defer { self.alertRules.invalidate() }
            return try Self.rule(id: db.lastInsertedRowID, managedBy: nil, in: db)
        }
    }

    /// Changes a rule: the sent fields replace the stored ones (null clears an optional one; a new kind
    /// drops the old kind's parameters); the result is checked whole. When anything changed, its told firing alerts are told
    /// resolved under the labels they were told with, and its alerts start anew: a receiver matches alerts by
    /// their labels, so an alert whose name, kind or subject changed is another alert.
    public func updateAlertRule(id: Int64, with changes: JSONValue, by user: User?) async throws -> AlertRule {
        let now = clock()
        return try await store.write { db in
            let rule = try Self.rule(id: id, managedBy: user, in: db)
            guard case let .object(sent) = changes else {
                throw AlertError.invalid(["_schema": ["Invalid input type: expected an object, got \(changes.kindName)."]], "the alert rule")
            }
            var merged = rule.json.objectValue ?? [:]
            if let kind = sent["kind"]?.stringValue, kind != rule.kind.rawValue {
                for field in AlertRuleDraft.fields(of: rule.kind) { merged[field] = nil }
            }
            for (key, value) in sent { merged[key] = value }
            merged["id"] = nil
            merged["created_by"] = nil
            let (values, scope) = try AlertRuleDraft.check(.object(merged), in: db)
            try Self.requireManage(scope, user, in: db)
            if try Self.changeRule(rule, to: values, note: "The rule was changed.", now: now, in: db) {
                self.alertRules.invalidate()
            }
            return try Self.rule(id: id, managedBy: nil, in: db)
        }
    }

    /// Deletes a rule and its alerts; each of its firing alerts that was told is told resolved now.
    public func deleteAlertRule(id: Int64, by user: User?) async throws {
        let now = clock()
        try await store.write { db in
            let rule = try Self.rule(id: id, managedBy: user, in: db)
            try Self.removeRule(rule, note: "The rule was deleted.", now: now, in: db)
            self.alertRules.invalidate()
        }
    }

    /// The defaults one can switch on for an asset type: a data gap of three of each asset's resolutions.
    /// Adds what is not there yet (by name) and returns what it added.
    public func addDefaultAlertRules(assetType: String, by user: User?) async throws -> [AlertRule] {
        let name = "\(assetType) data gap"
        if try store.database.read({ db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM alert_rule WHERE name = ? AND asset_type = ? AND kind = 'gap')", arguments: [name, assetType])!
        }) {
            return []
        }
        let rule = try await addAlertRule(
            .object(["name": .string(name), "kind": .string("gap"), "asset_type": .string(assetType), "resolutions": .number(3)]), by: user
        )
        return [rule]
    }

    // MARK: Alerts

    /// The alerts `user` may see (of the rules they may see), newest change first; `states` narrows them.
    public func alerts(visibleTo user: User?, states: Set<AlertState>? = nil) throws -> [Alert] {
        try alerts(visibleTo: user, states: states, page: nil).items
    }

    /// One page of the alerts `user` may see, newest change first; `states` narrows them (in the query, so
    /// that the page and the total count only those).
    public func alerts(visibleTo user: User?, states: Set<AlertState>? = nil, page: Paging?) throws -> Paged<Alert> {
        let now = clock()
        let stateList = states.map { JSONWriter.string(.array($0.map { .string($0.rawValue) })) }
        return try store.database.pool.read { db in
            let silences = try AlertStore.silences(at: now, in: db)
            let condition = """
                (?1 IS NULL OR r.sensor_id IN (SELECT id FROM asset WHERE owner_id = ?1))
                AND (?2 IS NULL OR a.state IN (SELECT value FROM json_each(?2)))
                """
            let owner = Self.restriction(user)
            let alerts = try Row.fetchAll(db, sql: """
                \(Alert.query) WHERE \(condition) ORDER BY a.updated_at_us DESC, a.id DESC LIMIT ?3 OFFSET ?4
                """, arguments: [owner, stateList, page?.perPage ?? -1, page?.offset ?? 0])
                .map { Alert(row: $0, silences: silences, now: now) }
            // Unpaged (metrics, the CLI) the list is the total: no second scan to count it.
            let total = page == nil ? alerts.count : try Int.fetchOne(db, sql: """
                SELECT count(*) FROM alert a JOIN alert_rule r ON r.id = a.rule_id WHERE \(condition)
                """, arguments: [owner, stateList]) ?? 0
            return Paged(items: alerts, total: total, paging: page ?? .first)
        }
    }

    /// Acknowledges a pending or firing alert: who, now, and a comment (at most 1000 bytes). It then sends
    /// no reminders; the acknowledgement clears when the alert resolves.
    public func acknowledgeAlert(id: Int64, comment: String, by user: User?) async throws -> Alert {
        guard comment.utf8.count <= 1000 else {
            throw AlertError.invalid(["comment": ["Longer than 1000 bytes."]], "the acknowledgement")
        }
        let now = clock()
        return try await store.write { db in
            let alert = try Self.alert(id: id, managedBy: user, now: now, in: db)
            guard alert.state.isActive else {
                throw AlertError.invalid(["state": ["Only a pending or firing alert can be acknowledged; this one is \(alert.state.rawValue)."]], "the alert")
            }
            try db.execute(sql: """
                UPDATE alert SET acknowledged_by = ?, acknowledged_at_us = ?, acknowledgement_comment = ?, updated_at_us = ? WHERE id = ?
                """, arguments: [user?.username ?? "cli", now.microsecondsSinceEpoch, comment, now.microsecondsSinceEpoch, id])
            return try Self.alert(id: id, managedBy: nil, now: now, in: db)
        }
    }

    /// Silences one alert for `duration` from now: a silence matching its rule and subject.
    public func silenceAlert(id: Int64, for duration: Timespan, comment: String, by user: User?) async throws -> AlertSilence {
        let now = clock()
        let alert = try store.database.read { db in try Self.alert(id: id, managedBy: user, now: now, in: db) }
        var matchers = [LabelMatcher(name: "rule_id", value: String(alert.ruleID))]
        for key in ["sensor_id", "source_id", "queue"] {
            if let value = alert.labels[key] { matchers.append(LabelMatcher(name: key, value: value)) }
        }
        return try await addSilence(matchers: matchers.map(\.text), for: duration, comment: comment, by: nil, createdBy: user?.username, chargedTo: user)
    }

    /// Adds a silence from matchers written `name=value` or `name!=value` (the CLI's form); see
    /// `addSilence(_:for:comment:by:)`.
    public func addSilence(
        matchers texts: [String], for duration: Timespan, comment: String, by user: User?, createdBy: String? = nil, chargedTo: User? = nil
    ) async throws -> AlertSilence {
        var matchers: [LabelMatcher] = []
        var unreadable: [String] = []
        for text in texts.prefix(Self.maximumMatchers + 1) {
            if text.utf8.count <= 600, let matcher = LabelMatcher(parsing: text) { matchers.append(matcher) } else {
                unreadable.append("Not a matcher: \(text.prefix(60)) (give name=value or name!=value).")
            }
        }
        return try await addSilence(
            matchers, for: duration, comment: comment, by: user, createdBy: createdBy, chargedTo: chargedTo, unreadable: unreadable
        )
    }

    /// Adds a silence: alerts whose labels match every matcher send no notices from now for `duration`. Admins
    /// and the operator may silence anything; another user only what is confined to their own assets'
    /// sensors: one matcher must be `sensor_id=<id of an asset of theirs>` (all must match, so the silence
    /// reaches no other alert). Label names as Prometheus writes them, values of at most 500 bytes.
    public func addSilence(
        _ matchers: [LabelMatcher], for duration: Timespan, comment: String, by user: User?, createdBy: String? = nil,
        chargedTo: User? = nil, unreadable: [String] = []
    ) async throws -> AlertSilence {
        try await addSilence(matchers, expiry: .duration(duration), comment: comment, by: user, createdBy: createdBy, chargedTo: chargedTo, unreadable: unreadable)
    }

    /// When a silence ends: a duration from now, or an instant.
    public enum SilenceExpiry: Sendable, Hashable {
        case duration(Timespan)
        case endsAt(Instant)
    }

    /// `addSilence(_:for:...)` with the end as a duration or an instant (Alertmanager's `endsAt`).
    public func addSilence(
        _ matchers: [LabelMatcher], expiry: SilenceExpiry, comment: String, by user: User?, createdBy: String? = nil,
        chargedTo: User? = nil, unreadable: [String] = []
    ) async throws -> AlertSilence {
        let now = clock()
        let duration: Timespan
        switch expiry {
        case let .duration(span): duration = span
        case let .endsAt(end): duration = end - now
        }
        var errors: [String: [String]] = [:]
        if !unreadable.isEmpty { errors["matchers"] = unreadable }
        let count = matchers.count + unreadable.count
        if count == 0 || count > Self.maximumMatchers { errors["matchers", default: []].append("Give 1 to \(Self.maximumMatchers) matchers.") }
        for matcher in matchers.prefix(Self.maximumMatchers) {
            if let problem = Self.problem(with: matcher) { errors["matchers", default: []].append(problem) }
        }
        if duration < Self.minimumSilence || duration > Self.maximumSilence {
            let field = if case .endsAt = expiry { "endsAt" } else { "duration" }
            errors[field, default: []].append("Must be from \(Self.minimumSilence.iso8601) to \(Self.maximumSilence.iso8601)\(field == "endsAt" ? " after now" : "").")
        }
        if comment.utf8.count > 1000 { errors["comment", default: []].append("Longer than 1000 bytes.") }
        guard errors.isEmpty else { throw AlertError.invalid(errors, "the silence") }
        let by = createdBy ?? user?.username ?? "cli"
        let parsed = matchers
        return try await store.write { db in
            if let owner = Self.restriction(user), try !Self.isConfined(parsed, toAssetsOf: owner, in: db) {
                throw AlertError(
                    .forbidden,
                    "only admins silence alerts beyond their own assets: give the matcher sensor_id=<id> of an asset of yours (as sensor_id=4)"
                )
            }
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM alert_silence WHERE ends_at_us > ?", arguments: [now.microsecondsSinceEpoch])!
                < Self.maximumActiveSilences else {
                throw AlertError(.tooMany(limit: Self.maximumActiveSilences), "\(Self.maximumActiveSilences) silences are in force, the most a site keeps: let some expire first")
            }
            if let charged = chargedTo ?? user, !charged.isAdmin, try Int.fetchOne(db, sql: """
                SELECT count(*) FROM alert_silence WHERE ends_at_us > ? AND created_by = ?
                """, arguments: [now.microsecondsSinceEpoch, by])! >= Self.maximumActiveSilencesPerUser {
                throw AlertError(
                    .tooMany(limit: Self.maximumActiveSilencesPerUser),
                    "you have \(Self.maximumActiveSilencesPerUser) silences in force, the most a user who is no admin may have: let some expire first"
                )
            }
            try db.execute(sql: """
                INSERT INTO alert_silence (matchers, starts_at_us, ends_at_us, comment, created_by, created_at_us) VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [
                    JSONWriter.string(.array(parsed.map { .string($0.text) })), now.microsecondsSinceEpoch,
                    (now + duration).microsecondsSinceEpoch, comment, by, now.microsecondsSinceEpoch,
                ])
            return AlertSilence(id: db.lastInsertedRowID, silence: Silence(matchers: parsed, startsAt: now, endsAt: now + duration), comment: comment, createdBy: by)
        }
    }

    /// What is wrong with a matcher a client sent, if anything: a label name as Prometheus writes them
    /// (`[a-zA-Z_][a-zA-Z0-9_]*`, at most 100 bytes) and a value of at most 500 bytes.
    static func problem(with matcher: LabelMatcher) -> String? {
        let name = matcher.name.utf8
        let valid = !name.isEmpty && name.count <= 100 && name.enumerated().allSatisfy { index, byte in
            byte == UInt8(ascii: "_") || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (index > 0 && byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        guard valid else { return "Not a label name: \(matcher.name.prefix(60)) (letters, digits and _, not starting with a digit)." }
        guard matcher.value.utf8.count <= 500 else { return "The value of \(matcher.name) is longer than 500 bytes." }
        return nil
    }

    /// Whether matchers reach only alerts of the owner's assets: one of them is `sensor_id=<asset of theirs>`.
    static func isConfined(_ matchers: [LabelMatcher], toAssetsOf owner: Int64, in db: Database) throws -> Bool {
        for matcher in matchers where matcher.name == "sensor_id" && matcher.equal {
            guard let id = Int64(matcher.value), String(id) == matcher.value else { continue }
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM asset WHERE id = ? AND owner_id = ?)", arguments: [id, owner])! {
                return true
            }
        }
        return false
    }

    /// One page of the silences in force that `user` may see (all for admins and the operator; for others
    /// those confined to their assets), by id.
    public func silences(visibleTo user: User?, page: Paging?) throws -> Paged<AlertSilence> {
        let now = clock().microsecondsSinceEpoch
        return try store.database.pool.read { db in
            var visible = try Row.fetchAll(db, sql: "SELECT * FROM alert_silence WHERE ends_at_us > ? AND starts_at_us <= ? ORDER BY id", arguments: [now, now]).map {
                AlertSilence(id: $0["id"], silence: AlertStore.silence(row: $0), comment: $0["comment"], createdBy: $0["created_by"])
            }
            if let owner = Self.restriction(user) {
                visible = try visible.filter { try Self.isConfined($0.silence.matchers, toAssetsOf: owner, in: db) }
            }
            let page = page ?? Paging(page: 1, perPage: Paging.maximumPerPage)!
            return Paged(items: Array(visible.dropFirst(min(page.offset, visible.count)).prefix(page.perPage)), total: visible.count, paging: page)
        }
    }

    /// Ends a silence now (as Alertmanager expires one; it stays until pruned). Admins and the operator
    /// expire any; other users those confined to their assets.
    public func expireSilence(id: Int64, by user: User?) async throws -> AlertSilence {
        let now = clock()
        return try await store.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM alert_silence WHERE id = ?", arguments: [id]) else {
                throw AlertError(.notFound, "no silence with id \(id)")
            }
            let silence = AlertStore.silence(row: row)
            if let owner = Self.restriction(user), try !Self.isConfined(silence.matchers, toAssetsOf: owner, in: db) {
                throw AlertError(.forbidden, "silence \(id) is not confined to your assets (no matcher sensor_id=<id of an asset of yours>)")
            }
            // An end at its start would break the table's check: a silence made this instant ends a microsecond on.
            let end = max(now, silence.startsAt + Timespan(microseconds: 1))
            if silence.endsAt > end {
                try db.execute(sql: "UPDATE alert_silence SET ends_at_us = ? WHERE id = ?", arguments: [end.microsecondsSinceEpoch, id])
            }
            return AlertSilence(
                id: id, silence: Silence(matchers: silence.matchers, startsAt: silence.startsAt, endsAt: min(silence.endsAt, end)),
                comment: row["comment"], createdBy: row["created_by"]
            )
        }
    }

    /// The silences in force now.
    public func activeSilences() throws -> [AlertSilence] {
        let now = clock().microsecondsSinceEpoch
        return try store.database.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alert_silence WHERE ends_at_us > ? AND starts_at_us <= ? ORDER BY id", arguments: [now, now]).map {
                AlertSilence(id: $0["id"], silence: AlertStore.silence(row: $0), comment: $0["comment"], createdBy: $0["created_by"])
            }
        }
    }

    // MARK: Timer and outbox

    /// One pass of the timer rules (gaps, jobs, workers, sources, the uplink) and the reminders, at the clock's time, in
    /// one transaction. `workers`: the daemon's job workers by queue and whether each lives (nil: none here).
    public func evaluateAlerts(workers: [QueueName: Bool]? = nil) async throws -> AlertPassReport {
        let now = clock()
        let since = startedAt
        let retention = settings.alertNoticeRetention
        return try await store.write { db in
            try AlertEvaluation.timerPass(now: now, watchingSince: since, workers: workers, retention: retention, in: db)
        }
    }

    /// The notices waiting for delivery, oldest first.
    public func undeliveredNotices(limit: Int = 100) throws -> [AlertOutboxEntry] {
        try outbox(where: "delivered_at_us IS NULL", limit: limit)
    }

    /// Every notice of the outbox, delivered or not, newest first.
    public func notices(limit: Int = 100) throws -> [AlertOutboxEntry] {
        try outbox(where: "1", limit: limit, newestFirst: true)
    }

    /// Marks notices as delivered at the clock's time.
    public func markNoticesDelivered(ids: [Int64]) async throws {
        let now = clock().microsecondsSinceEpoch
        try await store.write { db in
            for id in ids {
                try db.execute(sql: "UPDATE alert_notification SET delivered_at_us = ? WHERE id = ? AND delivered_at_us IS NULL", arguments: [now, id])
            }
        }
    }

    func outbox(where condition: String, limit: Int, newestFirst: Bool = false) throws -> [AlertOutboxEntry] {
        try store.database.pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM alert_notification WHERE \(condition) ORDER BY id \(newestFirst ? "DESC" : "") LIMIT ?
                """, arguments: [max(0, min(limit, 10_000))]).map { row in
                let labels = AlertStore.parseLabels(row["labels"])
                let annotations = AlertStore.parseLabels(row["annotations"])
                var notice = AlertNotice(
                    status: AlertNotice.Status(rawValue: row["status"]) ?? .firing, labels: labels, annotations: annotations,
                    startsAt: Instant(microsecondsSinceEpoch: row["starts_at_us"]),
                    endsAt: (row["ends_at_us"] as Int64?).map(Instant.init(microsecondsSinceEpoch:))
                )
                notice.fingerprint = row["fingerprint"]
                return AlertOutboxEntry(
                    id: row["id"], alertID: row["alert_id"], ruleID: row["rule_id"], notice: notice,
                    createdAt: Instant(microsecondsSinceEpoch: row["created_at_us"]),
                    deliveredAt: (row["delivered_at_us"] as Int64?).map(Instant.init(microsecondsSinceEpoch:))
                )
            }
        }
    }

    // MARK: Access

    /// Nil (everything) for admins and the operator, else the user's id (their assets).
    static func restriction(_ user: User?) -> Int64? {
        guard let user, !user.isAdmin else { return nil }
        return user.id
    }

    static func requireManage(_ scope: AlertScope, _ user: User?, in db: Database) throws {
        guard let owner = restriction(user) else { return }
        if case let .sensor(sensor) = scope,
           try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM asset WHERE id = ? AND owner_id = ?)", arguments: [sensor, owner])! {
            return
        }
        throw AlertError(.forbidden, "only admins manage rules of asset types, of the whole site, of markets and weather sensors, and of other users' assets; give the sensor_id of an asset of yours")
    }

    static func rule(id: Int64, managedBy user: User?, in db: Database) throws -> AlertRule {
        guard let row = try Row.fetchOne(db, sql: "SELECT \(AlertRule.columns) FROM alert_rule r WHERE r.id = ?", arguments: [id]),
              let rule = AlertRule(row: row) else {
            throw AlertError(.notFound, "no alert rule with id \(id)")
        }
        do {
            try requireManage(rule.scope, user, in: db)
        } catch {
            throw AlertError(.forbidden, "alert rule \(id) is not on an asset of yours")
        }
        return rule
    }

    static func alert(id: Int64, managedBy user: User?, now: Instant, in db: Database) throws -> Alert {
        guard let row = try Row.fetchOne(db, sql: "\(Alert.query) WHERE a.id = ?", arguments: [id]) else {
            throw AlertError(.notFound, "no alert with id \(id)")
        }
        _ = try rule(id: row["rule_id"], managedBy: user, in: db)
        return Alert(row: row, silences: try AlertStore.silences(at: now, in: db), now: now)
    }
}
