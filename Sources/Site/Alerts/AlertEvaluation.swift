import Alerting
import BeliefStore
import Beliefs
import Foundation
import GRDB
import Jobs

/// Runs the rules: the data rules on each ingested batch (in the batch's transaction, for the batch's
/// sensors only, through indexed lookups), and the timer rules (gaps, jobs, workers, sources, the uplink) plus the
/// reminders of firing alerts on each pass of the timer. Only changes are written.
enum AlertEvaluation {
    /// Events that ended longer ago than this before an ingest are history, not news: imported history
    /// neither fires nor resolves alerts (nor do late corrections of old events).
    static let recentWindow = Timespan.days(1)

    /// Judges an ingested batch: records when each source was last heard from and each sensor last measured,
    /// then runs the sensor's data rules on its new measurements (point estimates with a horizon of zero or
    /// less, the newest belief per event, events after the newest one judged before and ending within
    /// `recentWindow` before or after now). Forecasts (a `postPrognosis`, a positive horizon) are no measurements: they are not
    /// judged, move nothing forward and end no gap. `judged` is false for the forecaster's and the
    /// scheduler's beliefs, which only count as their sources' activity.
    static func afterIngest(
        _ beliefs: [Belief], judged: Bool, excludingSources excluded: Set<SourceID> = [], rules index: AlertRuleIndex, store: BeliefStore,
        now: Instant, in db: Database
    ) throws {
        guard !beliefs.isEmpty else { return }
        let nowUS = now.microsecondsSinceEpoch
        var candidates: [SensorID: [Belief]] = [:]
        var sources = Set<SourceID>()
        for belief in beliefs {
            sources.insert(belief.sourceID)
            if judged, belief.cumulativeProbability == 0.5, !excluded.contains(belief.sourceID) { candidates[belief.sensorID, default: []].append(belief) }
        }
        let touch = try db.cachedStatement(sql: """
            INSERT INTO alert_activity (scope, id, last_received_us) VALUES (?, ?, ?)
            ON CONFLICT (scope, id) DO UPDATE SET last_received_us = excluded.last_received_us
            """)
        for source in sources { try touch.execute(arguments: ["source", source, nowUS]) }
        let version = try AlertRuleIndex.dataVersion(in: db)
        var entries: [SensorID: AlertRuleIndex.SensorEntry] = [:]
        if index.keepsMeasuredValues {
            var shapes: [SensorID: (resolution: Timespan, oldestJudged: Instant)] = [:]
            for sensor in Set(beliefs.map(\.sensorID)) {
                if let entry = try index.entry(of: sensor, dataVersion: version, in: db) {
                    entries[sensor] = entry
                    shapes[sensor] = (entry.resolution, now - recentWindow - entry.resolution)
                }
            }
            index.stored(beliefs, sensors: shapes)
        }
        // The appliance's own forecasts and plans are no news from the site: they end no gap.
        guard judged else { return }
        var silences = SilenceCache(now: now)
        for (sensor, list) in candidates {
            guard let entry = try entries[sensor] ?? index.entry(of: sensor, dataVersion: version, in: db) else { continue }
            let resolution = entry.resolution
            let measured = list.filter { $0.horizon(eventResolution: resolution) <= .zero }
            guard !measured.isEmpty else { continue }
            let activity = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT last_event_start_us, run_value, run_since_us FROM alert_activity WHERE scope = 'sensor' AND id = ?"),
                arguments: [sensor]
            )
            let lastJudged = (activity?["last_event_start_us"] as Int64?).map(Instant.init(microsecondsSinceEpoch:))
            var run: ValueRun?
            if let lastJudged, let value: Double = activity?["run_value"], let since: Int64 = activity?["run_since_us"] {
                run = ValueRun(value: value, since: Instant(microsecondsSinceEpoch: since), lastEventStart: lastJudged)
            }
            let rules = entry.rules
            // Judged: events that ended within a day before now, or at most a day after it (a gateway's clock may
            // run ahead). A measurement stated further ahead would move the newest judged event past everything
            // measured until then: alerting on the sensor would go blind.
            let recentStart = now - recentWindow - resolution
            let latestStart = now + recentWindow - resolution
            let observations = newestPerEvent(measured).filter { observation in
                observation.eventStart >= recentStart && observation.eventStart <= latestStart
                    && lastJudged.map { observation.eventStart > $0 } ?? true
            }
            let (starts, newRun) = ValueRun.advance(run, with: observations)
            try db.cachedStatement(sql: """
                INSERT INTO alert_activity (scope, id, last_received_us, last_event_start_us, run_value, run_since_us)
                VALUES ('sensor', ?1, ?2, ?3, ?4, ?5)
                ON CONFLICT (scope, id) DO UPDATE SET last_received_us = ?2, last_event_start_us = ?3, run_value = ?4, run_since_us = ?5
                """).execute(arguments: [
                    sensor, nowUS, newRun?.lastEventStart.microsecondsSinceEpoch ?? lastJudged?.microsecondsSinceEpoch,
                    newRun?.value, newRun?.since.microsecondsSinceEpoch,
                ])
            guard !rules.isEmpty, !observations.isEmpty else { continue }
            var records: [Int64: AlertStore.Record] = [:]
            records.reserveCapacity(rules.count)
            // A cursor: its rows are read from the statement in place, not copied first.
            let alerts = try Row.fetchCursor(
                db.cachedStatement(sql: "SELECT a.rule_id, \(AlertStore.joinedColumns) FROM alert a WHERE a.subject_id = ?"), arguments: [sensor]
            )
            while let row = try alerts.next() {
                records[row[0]] = AlertStore.record(joined: row, at: 1)
            }
            // One pass for all the sensor's thresholds: a rule that is off stays off unless some value breaches it.
            var lowest = Double.infinity, highest = -Double.infinity
            for observation in observations {
                if observation.value < lowest { lowest = observation.value }
                if observation.value > highest { highest = observation.value }
            }
            var batches: [RuleCondition.Baseline: RuleEvaluation.OutlierBatch] = [:]
            for indexed in rules {
                let rule = indexed.rule
                var record = records[rule.id] ?? .inactive
                let verdicts: [TimedVerdict]
                switch rule.condition {
                case let .threshold(threshold):
                    // Off and never breached, every verdict is clear or holds: nothing changes, nothing is written.
                    guard record.status.state.isActive || (threshold.above ? highest > threshold.trigger : lowest < threshold.trigger) else { continue }
                    try judge(
                        observations.lazy.map { RuleEvaluation.timed(RuleEvaluation.verdict(threshold, on: $0.value), $0, resolution) },
                        on: &record, rule: rule, subject: sensor, known: indexed.known, silences: &silences, now: now, in: db
                    )
                    continue
                case let .flatLine(duration):
                    verdicts = RuleEvaluation.flatLine(duration: duration, observations, runStarts: starts, resolution: resolution)
                case let .idleUse(level, window):
                    var offsets = UTCOffsets(zone: entry.timezone)
                    verdicts = RuleEvaluation.idleUse(level: level, window: window, observations, resolution: resolution) { offsets.offset(at: $0) }
                case let .outlier(baseline, factor, floor):
                    // What the sensor's outlier rules of one baseline share is worked out once per batch.
                    let batch: RuleEvaluation.OutlierBatch
                    if let known = batches[baseline] {
                        batch = known
                    } else if baseline == .lastWeek {
                        batch = RuleEvaluation.OutlierBatch(observations, expectations: try index.lastWeek(
                            of: sensor, for: observations, resolution: resolution, dataVersion: version, store: store, in: db
                        ))
                    } else {
                        batch = RuleEvaluation.OutlierBatch(observations, expected: try forecastValues(
                            of: sensor, for: observations, resolution: resolution, store: store, in: db
                        ))
                    }
                    batches[baseline] = batch
                    verdicts = RuleEvaluation.outlier(batch, factor: factor, floor: floor, resolution: resolution)
                case .gap:
                    // New data ends a gap; only an alert that is on needs the word.
                    verdicts = record.status.state.isActive ? [.at(now, .clear)] : []
                case .jobFailed, .jobOverdue, .workerDead, .sourceSilent, .uplinkStuck:
                    verdicts = []
                }
                try judge(
                    verdicts, on: &record, rule: rule, subject: sensor, known: indexed.known, silences: &silences,
                    now: now, in: db
                )
            }
        }
    }

    /// Applies verdicts to one alert, writing its state when it changed (a new value alone is no change) and
    /// each notice the changes ask for.
    static func judge<Verdicts: Sequence<TimedVerdict>>(
        _ verdicts: Verdicts, on record: inout AlertStore.Record, rule: AlertRule, subject: Int64, known: AlertStore.KnownLabels? = nil,
        silences: inout SilenceCache, note: String? = nil, now: Instant, in db: Database
    ) throws {
        var before = record.status
        for verdict in verdicts {
            var notice: NoticeKind?
            if verdict.verdict == .breaching {
                // A silence only holds back a notice: asked about only when, unmuted, the verdict would tell one.
                var unmuted = record.status
                notice = unmuted.apply(verdict, timing: rule.timing, muted: false, now: now)
                if notice == nil {
                    record.status = unmuted
                } else {
                    let muted = try silences.mutes(&record, rule: rule, subject: subject, known: known, in: db)
                    notice = record.status.apply(verdict, timing: rule.timing, muted: muted, now: now)
                }
            } else {
                notice = record.status.apply(verdict, timing: rule.timing, muted: false, now: now)
            }
            if notice != nil {
                record = try AlertStore.save(record, rule: rule, subject: subject, known: known, notice: notice, note: note, now: now, in: db)
                before = record.status
            }
        }
        var after = record.status
        after.value = nil
        before.value = nil
        if after != before {
            record = try AlertStore.save(record, rule: rule, subject: subject, known: known, notice: nil, now: now, in: db)
        }
    }

    /// The newest point-estimate belief of each event, in event order.
    static func newestPerEvent(_ beliefs: [Belief]) -> [Observation] {
        // A post's beliefs come one per event, in order: then they are the observations as they are.
        if zip(beliefs, beliefs.dropFirst()).allSatisfy({ $0.eventStart < $1.eventStart }) {
            return beliefs.map { Observation(eventStart: $0.eventStart, value: $0.value) }
        }
        var newest: [Instant: Belief] = [:]
        for belief in beliefs {
            if let known = newest[belief.eventStart], known.beliefTime > belief.beliefTime { continue }
            newest[belief.eventStart] = belief
        }
        return newest.values.sorted { $0.eventStart < $1.eventStart }.map { Observation(eventStart: $0.eventStart, value: $0.value) }
    }

    /// The newest forecast of each observed event (a point-estimate belief formed before the event ended).
    static func forecastValues(
        of sensor: SensorID, for observations: [Observation], resolution: Timespan, store: BeliefStore, in db: Database
    ) throws -> [Instant: Double] {
        guard let first = observations.first?.eventStart, let last = observations.last?.eventStart else { return [:] }
        let beliefs = try store.beliefs(
            sensorID: sensor, from: first, to: last + max(resolution, Timespan(microseconds: 1)), filter: BeliefFilter(horizon: Timespan(microseconds: 1)), in: db
        )
        var newest: [Instant: Belief] = [:]
        for belief in beliefs where belief.cumulativeProbability == 0.5 {
            if let known = newest[belief.eventStart], known.beliefTime > belief.beliefTime { continue }
            newest[belief.eventStart] = belief
        }
        return newest.mapValues(\.value)
    }
}

/// A timezone's offsets from UTC over ascending instants, asking Foundation (slow on Linux: ICU) once per
/// stretch between daylight saving transitions rather than once per value.
struct UTCOffsets {
    let zone: TimeZone?
    private var valid: Range<Instant>?
    private var current = Timespan.zero

    init(zone: TimeZone?) { self.zone = zone }

    mutating func offset(at instant: Instant) -> Timespan {
        guard let zone else { return .zero }
        if let valid, valid.contains(instant) { return current }
        let date = Date(timeIntervalSince1970: Double(instant.microsecondsSinceEpoch) / 1e6)
        current = .seconds(Int64(zone.secondsFromGMT(for: date)))
        let next = zone.nextDaylightSavingTimeTransition(after: date)
            .map { Instant(microsecondsSinceEpoch: Int64(($0.timeIntervalSince1970 * 1e6).rounded(.down))) }
        valid = instant..<max(next ?? instant + .days(366), instant + Timespan(microseconds: 1))
        return current
    }
}
