/// What kind of agent a data source is; raw values are the names FlexMeasures stores and shows.
public enum SourceType: String, Hashable, Sendable, CaseIterable {
    /// A person or gateway posting through the API under a user account.
    case user
    /// The scheduler that writes planned power values.
    case scheduler = "scheduling script"
    /// The forecaster that writes predicted values.
    case forecaster = "forecasting script"
    /// Any other script, e.g. a demo data loader.
    case script

    /// Whether this kind of source records what happened (measurements, imports), as opposed to what
    /// was planned or predicted: what forecasts learn from and are scored against.
    public var recordsOutcomes: Bool { self == .user || self == .script }
}
