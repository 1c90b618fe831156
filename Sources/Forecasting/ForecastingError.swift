/// Why a forecast request cannot be served at all: malformed input, never missing data (missing
/// data degrades to a model without the regressor, or to the naive forecast).
public struct ForecastingError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Reason: Sendable, Equatable {
        case nonPositiveResolution(Int64)
        case nonPositiveHorizon(Int)
        case duplicateRegressor(String)
        case nonPositiveInterval(Int64)
    }

    private let reason: Reason

    /// The series' resolution is zero or negative.
    public static func nonPositiveResolution(_ seconds: Int64) -> Self { .init(reason: .nonPositiveResolution(seconds)) }
    /// The horizon is less than one slot.
    public static func nonPositiveHorizon(_ slots: Int) -> Self { .init(reason: .nonPositiveHorizon(slots)) }
    /// Two regressors share a name, so models could not tell them apart.
    public static func duplicateRegressor(_ name: String) -> Self { .init(reason: .duplicateRegressor(name)) }
    /// The training window or refit interval is zero or negative.
    public static func nonPositiveInterval(_ seconds: Int64) -> Self { .init(reason: .nonPositiveInterval(seconds)) }

    /// A message that says what to fix.
    public var description: String {
        switch reason {
        case .nonPositiveResolution(let seconds): "resolution must be positive, got \(seconds) s"
        case .nonPositiveHorizon(let slots): "horizon must be at least one slot, got \(slots)"
        case .duplicateRegressor(let name): "regressor name \"\(name)\" is used twice"
        case .nonPositiveInterval(let seconds): "training window and refit interval must be positive, got \(seconds) s"
        }
    }
}
