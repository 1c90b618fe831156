import Alerting
import BeliefStore
import Beliefs
import Foundation
import GRDB
import Synchronization

/// What ingest needs of each sensor, kept in memory so that an ingest reads no rule rows: the sensor's
/// enabled data rules with their labels (made and written as JSON once, when the entry is built), its event
/// resolution and, for quiet windows, its timezone. Ingest judges a batch's sensors only, and asks this index
/// about them.
///
/// An entry is trusted while nothing that could change it happened: this site changed no rule (it drops the
/// index itself), no other connection committed to the file (SQLite's `data_version` of the writer
/// connection: the CLI or a worker process adding a rule), and it is younger than `lifetime` (what this
/// process changes in the registry beside rules, such as an asset's type or name, counts after at most that
/// long).
public final class AlertRuleIndex: Sendable {
    public static let lifetime: Duration = .seconds(5)

    /// A rule with the labels of its alert on one sensor.
    struct IndexedRule: Sendable {
        let rule: AlertRule
        let labels: [String: String]
        let labelsText: String
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

    private let state = Mutex(State())

    public init() {}

    /// Forgets every entry (a rule was added, changed or deleted; an asset or a user was deleted).
    public func invalidate() {
        state.withLock { $0 = State() }
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
            return IndexedRule(rule: rule, labels: labels, labelsText: AlertStore.labelsJSON(labels))
        }
        let entry = SensorEntry(resolution: resolution, timezone: timezone, rules: indexed)
        state.withLock { state in
            if state.dataVersion == version { state.sensors[sensor] = entry }
        }
        return entry
    }

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
