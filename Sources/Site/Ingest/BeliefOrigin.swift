import Beliefs

/// Who states the beliefs an entry point stores. The data source is looked up, or made, in the same
/// transaction as the append, so a refused batch leaves no new source behind either.
public enum BeliefOrigin: Sendable {
    /// A user posting through the API (their own data source, named after them).
    case user(id: Int64, name: String)
    /// A script or job of the appliance: `add beliefs`, the forecaster, the scheduler.
    case script(name: String, type: SourceType)
    /// Beliefs that name their sources themselves: backups (`restoreData`, `db-ops load`).
    case stated
}
