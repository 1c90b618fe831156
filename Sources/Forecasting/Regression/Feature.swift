/// What one column of the design matrix holds for target slot `k`. Every feature reads the
/// outcome only at `k - lag` with `lag >= horizon`, so it is known when the forecast is made,
/// and regressors at `k` and at the same time on earlier days.
enum Feature: Sendable, Hashable {
    /// The outcome `lag` slots before the target.
    case lag(Int)
    /// Mean of the outcome at the target's time of day over `days` days, the nearest `firstLag` back.
    case profileMean(firstLag: Int, days: Int, period: Int)
    /// Maximum of the same values: the level a sunny or windy day reaches at that time.
    case profileMax(firstLag: Int, days: Int, period: Int)
    /// A regressor's value at the target slot.
    case regressor(String)
    /// `max(0, regressor - knot)`: with several knots the fit bends to curves such as a wind
    /// turbine's power curve while staying linear in its coefficients.
    case hinge(String, knot: Double)
    /// The outcome's daily-profile maximum scaled by how the regressor now compares with its own
    /// maximum at that time on recent days (irradiance now over clear-sky-like irradiance).
    case relative(String, firstLag: Int, days: Int, period: Int)
    /// The daily-profile maximum scaled by the latest known outcome's share of its own profile
    /// maximum: the "how cloudy is it now" signal, carried forward through the night.
    case persistence(horizon: Int, firstLag: Int, days: Int, period: Int, threshold: Double)

    /// The regressor this feature needs, if any.
    var regressorName: String? {
        switch self {
        case .regressor(let name), .hinge(let name, _), .relative(let name, _, _, _): name
        default: nil
        }
    }
}
