import Alerting
import BeliefStore
import Beliefs
import Foundation
import GRDB
import Synchronization

/// What ingest needs of each sensor, kept in memory so that an ingest reads no rule rows: the sensor's
/// enabled data rules with their labels (made, written as JSON and fingerprinted once, when the entry is built), its event
/// resolution and, for quiet windows, its timezone. Ingest judges a batch's sensors only, and asks this index
/// about them.
///
/// An entry is trusted while nothing that could change it happened: this site changed no rule (it drops the
/// index itself), no other connection committed to the file (SQLite's `data_version` of the writer
/// connection: the CLI or a worker process adding a rule), and it is younger than `lifetime` (what this
/// process changes in the registry beside rules, such as an asset's type or name, counts after at most that
/// long).
///
/// Beside the rules it keeps the measured values that outlier rules compare with (the same event a week
/// earlier), per sensor with such a rule: loaded from the store once, then kept up to date by every ingest
/// of this site (which hands it what it stores), so that a post reads no segments for them. These stay
/// while no other connection commits (`data_version`), until a write of this site fails (its changes may
/// have rolled back) or its beliefs are replaced, and are pruned to the oldest week a post can still need.
public final class AlertRuleIndex: Sendable {
    public static let lifetime: Duration = .seconds(5)
    /// The most measured values kept for outlier rules, over all sensors; beyond it they are dropped and
    /// loaded again when needed.
    static let maximumBaselineValues = 1_000_000

    /// A rule with the labels of its alert on one sensor (a class: ingest walks them without copying each).
    final class IndexedRule: Sendable {
        let rule: AlertRule
        let known: AlertStore.KnownLabels

        init(rule: AlertRule, labels: [String: String]) {
            self.rule = rule
            known = AlertStore.KnownLabels(rule: rule, labels: labels)
        }
    }

    /// What ingest needs of one sensor.
    struct SensorEntry: Sendable {
        let resolution: Timespan
        /// The sensor's timezone, read only when a rule has a quiet window.
        let timezone: TimeZone?
        let rules: [IndexedRule]
    }

    private struct State {
        var sensors: [SensorID: SensorEntry] = [:]
        var dataVersion: Int64?
        var loadedAt: ContinuousClock.Instant?
    }

    /// Measured values of one sensor: every event from `from` on, with the newest point-estimate measurement
    /// (belief time, value) this site knows; events on the grid of the sensor's resolution from `from` in an
    /// array (no hashing per value: this is ingest's hot path), any others in a dictionary.
    struct MeasuredValues {
        typealias Value = (beliefTime: Instant, value: Double)
        /// The most grid slots kept (about 1.2 MB; a week and a day of quarter hours is 768): an event further
        /// on, such as a measurement stated years ahead, goes into `offGrid` instead of growing the array.
        static let maximumSlots = 50_000

        private(set) var from: Instant
        let resolution: Timespan
        private var slots: [Value?] = []
        private var offGrid: [Instant: Value] = [:]

        init(from: Instant, resolution: Timespan) {
            self.from = from
            self.resolution = resolution
        }

        var count: Int { slots.count + offGrid.count }

        private func slot(of start: Instant) -> Int? {
            guard resolution > .zero, start >= from else { return nil }
            let (steps, remainder) = (start - from).microseconds.quotientAndRemainder(dividingBy: resolution.microseconds)
            return remainder == 0 && steps < Int64(Self.maximumSlots) ? Int(steps) : nil
        }

        subscript(start: Instant) -> Value? {
            if let index = slot(of: start) { return index < slots.count ? slots[index] : nil }
            return offGrid[start]
        }

        /// Keeps `belief` unless a newer measurement of its event is known.
        mutating func keepNewer(_ belief: Belief) {
            if let known = self[belief.eventStart], known.beliefTime > belief.beliefTime { return }
            let value: Value = (belief.beliefTime, belief.value)
            if let index = slot(of: belief.eventStart) {
                if index >= slots.count { slots.append(contentsOf: repeatElement(nil, count: index - slots.count + 1)) }
                slots[index] = value
            } else {
                offGrid[belief.eventStart] = value
            }
        }

        /// Drops what lies before `floor` and starts there (on the grid).
        mutating func drop(before floor: Instant) {
            guard floor > from else { return }
            if resolution > .zero {
                let steps = Int(min((floor - from).microseconds / resolution.microseconds, Int64(slots.count)))
                slots.removeFirst(steps)
                from = from + resolution * Int64(steps)
            }
            if !offGrid.isEmpty { offGrid = offGrid.filter { $0.key >= floor } }
        }
    }

    private struct Baselines {
        var sensors: [SensorID: MeasuredValues] = [:]
        var dataVersion: Int64?
        var count = 0
    }

    private let state = Mutex(State())
    private let baselines = Mutex(Baselines())

    public init() {}

    /// Forgets every entry (a rule was added, changed or deleted; an asset or a user was deleted).
    public func invalidate() {
        state.withLock { $0 = State() }
        forgetMeasuredValues()
    }

    /// Forgets the measured values kept for outlier rules (a write failed and may have rolled back, or the
    /// site's beliefs were replaced).
    func forgetMeasuredValues() {
        baselines.withLock { $0 = Baselines() }
    }

    /// Whether it keeps measured values of any sensor (then ingest hands it what it stores).
    var keepsMeasuredValues: Bool {
        baselines.withLock { !$0.sensors.isEmpty }
    }

    /// The writer connection's `data_version`: it changes when another connection commits.
    static func dataVersion(in db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
    }

    /// What ingest needs of `sensor`, read in `db` (the writer's transaction) when the index cannot be
    /// trusted; nil when the site has no such sensor.
    func entry(of sensor: SensorID, dataVersion version: Int64, in db: Database) throws -> SensorEntry? {
        let now = ContinuousClock.now
        let cached: SensorEntry? = state.withLock { state in
            if state.dataVersion != version || state.loadedAt.map({ now - $0 > Self.lifetime }) ?? true {
                state = State(sensors: [:], dataVersion: version, loadedAt: now)
                return nil
            }
            return state.sensors[sensor]
        }
        if let cached { return cached }
        guard let resolution = try SensorCatalog.sensorShape(id: sensor, in: db)?.eventResolution else { return nil }
        let rules = try Row.fetchAll(db.cachedStatement(sql: Self.rulesOfSensor), arguments: [sensor]).compactMap(AlertRule.init(row:))
        var timezone: TimeZone?
        if rules.contains(where: { if case .idleUse(_, .some) = $0.condition { true } else { false } }) {
            let name = try String.fetchOne(db, sql: "SELECT timezone FROM sensor WHERE id = ?", arguments: [sensor]) ?? "UTC"
            timezone = TimeZone(identifier: name) ?? TimeZone(identifier: "UTC")
        }
        let subject = rules.isEmpty ? [:] : try AlertStore.sensorLabels(sensor, in: db)
        let indexed = rules.map { rule in
            let labels = AlertStore.labels(rule: rule).merging(subject) { _, sensor in sensor }
            return IndexedRule(rule: rule, labels: labels)
        }
        let entry = SensorEntry(resolution: resolution, timezone: timezone, rules: indexed)
        state.withLock { state in
            if state.dataVersion == version { state.sensors[sensor] = entry }
        }
        return entry
    }

    /// The measured value of the same event a week earlier for each observation (nil where none): the newest
    /// point-estimate belief with a horizon of zero or less, of any source. Served from memory when the
    /// sensor's values reach back far enough, else read from the store (from a week before the first
    /// observation on) and kept.
    func lastWeek(
        of sensor: SensorID, for observations: [Observation], resolution: Timespan, dataVersion version: Int64, store: BeliefStore,
        in db: Database
    ) throws -> [Double?] {
        guard let first = observations.first?.eventStart else { return [] }
        let from = first - Self.week
        let known: MeasuredValues? = baselines.withLock { baselines in
            if baselines.dataVersion != version { baselines = Baselines(sensors: [:], dataVersion: version) }
            guard let values = baselines.sensors[sensor], values.from <= from else { return nil }
            return values
        }
        var values: MeasuredValues
        if let known {
            values = known
        } else {
            values = MeasuredValues(from: from, resolution: resolution)
            let stored = try store.beliefs(sensorID: sensor, from: from, to: first + Self.loadAhead, in: db)
            for belief in stored where belief.cumulativeProbability == 0.5 && belief.horizon(eventResolution: resolution) <= .zero {
                values.keepNewer(belief)
            }
            baselines.withLock { baselines in
                guard baselines.dataVersion == version else { return }
                let count = baselines.count + values.count - (baselines.sensors[sensor]?.count ?? 0)
                // Over the budget the sensor just read is not kept (the others are): clearing them all would make
                // every post read every sensor's week again, and overflow the budget again.
                guard count <= Self.maximumBaselineValues else { return }
                baselines.count = count
                baselines.sensors[sensor] = values
            }
        }
        return observations.map { values[$0.eventStart - Self.week]?.value }
    }

    /// Hands the index what an ingest stored (`sensors`: the batch's sensors with their resolutions and the
    /// oldest event a post may still judge): the measured values of sensors it keeps values of are updated
    /// (the newest belief of each event wins), and values that no post can need any more are dropped.
    func stored(_ beliefs: [Belief], sensors: [SensorID: (resolution: Timespan, oldestJudged: Instant)]) {
        baselines.withLock { baselines in
            guard !baselines.sensors.isEmpty else { return }
            // Each sensor's values taken out while its beliefs (which come grouped) are kept: one lookup per
            // run of a sensor's beliefs, and no copy of the values.
            var current: (sensor: SensorID, resolution: Timespan, values: MeasuredValues)?
            func putBack() {
                guard let taken = current else { return }
                baselines.sensors[taken.sensor] = taken.values
                current = nil
            }
            var notKept: SensorID?
            for belief in beliefs where belief.cumulativeProbability == 0.5 && belief.sensorID != notKept {
                if current?.sensor != belief.sensorID {
                    putBack()
                    guard let resolution = sensors[belief.sensorID]?.resolution,
                          let values = baselines.sensors.removeValue(forKey: belief.sensorID) else {
                        notKept = belief.sensorID
                        continue
                    }
                    current = (belief.sensorID, resolution, values)
                }
                guard belief.eventStart >= current!.values.from, belief.horizon(eventResolution: current!.resolution) <= .zero else { continue }
                let before = current!.values.count
                current!.values.keepNewer(belief)
                baselines.count += current!.values.count - before
            }
            putBack()
            // Pruned once a day's values are past need, not at every post.
            for (sensor, shape) in sensors {
                let floor = shape.oldestJudged - Self.week
                guard let from = baselines.sensors[sensor]?.from, from < floor - .days(1) else { continue }
                let before = baselines.sensors[sensor]!.count
                baselines.sensors[sensor]!.drop(before: floor)
                baselines.count -= before - baselines.sensors[sensor]!.count
            }
            if baselines.count > Self.maximumBaselineValues { baselines.sensors = [:]; baselines.count = 0 }
        }
    }

    static let week = Timespan.days(7)
    /// How far past the first observation a load reads: every measurement this site may hold of the sensor,
    /// since measurements stored later reach the index through `stored`.
    static let loadAhead = Timespan.days(3660)

    static let sensorKinds = RuleKind.allCases.filter(\.watchesSensors).map { "'\($0.rawValue)'" }.joined(separator: ", ")

    /// The enabled rules on `sensor` (its own, its asset type's, the site's data rules): three indexed
    /// lookups rather than a scan of every rule.
    static let rulesOfSensor = """
        SELECT \(AlertRule.columns) FROM alert_rule r WHERE r.sensor_id = ?1 AND r.enabled
        UNION ALL
        SELECT \(AlertRule.columns) FROM alert_rule r
        WHERE r.asset_type = (SELECT asset_type_name FROM asset WHERE id = ?1) AND r.enabled
        UNION ALL
        SELECT \(AlertRule.columns) FROM alert_rule r
        WHERE r.sensor_id IS NULL AND r.asset_type IS NULL AND r.kind IN (\(sensorKinds)) AND r.enabled
        """
}
