import Alerting
import Beliefs
import GRDB
import Synchronization

/// The enabled data rules of each sensor, kept in memory so that an ingest reads no rule rows: ingest
/// judges a batch's sensors only, and asks this index which rules watch them.
///
/// An entry is trusted while nothing that could change it happened: this site changed no rule (it drops the
/// index itself), no other connection committed to the file (SQLite's `data_version` of the writer
/// connection: the CLI or a worker process adding a rule), and it is younger than `lifetime` (what this
/// process changes in the registry beside rules, such as an asset's type, counts after at most that long).
public final class AlertRuleIndex: Sendable {
    public static let lifetime: Duration = .seconds(5)

    private struct State {
        var rules: [SensorID: [AlertRule]] = [:]
        var dataVersion: Int64?
        var loadedAt: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    public init() {}

    /// Forgets every entry (a rule was added, changed or deleted).
    public func invalidate() {
        state.withLock { $0 = State() }
    }

    /// The enabled data rules on `sensor`: its own, its asset type's and the site's; read in `db` (the
    /// writer's transaction) when the index cannot be trusted.
    func rules(of sensor: SensorID, in db: Database) throws -> [AlertRule] {
        let version = try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
        let now = ContinuousClock.now
        let cached: [AlertRule]? = state.withLock { state in
            if state.dataVersion != version || state.loadedAt.map({ now - $0 > Self.lifetime }) ?? true {
                state = State(rules: [:], dataVersion: version, loadedAt: now)
                return nil
            }
            return state.rules[sensor]
        }
        if let cached { return cached }
        let rules = try Row.fetchAll(db.cachedStatement(sql: Self.rulesOfSensor), arguments: [sensor]).compactMap(AlertRule.init(row:))
        state.withLock { state in
            if state.dataVersion == version { state.rules[sensor] = rules }
        }
        return rules
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
