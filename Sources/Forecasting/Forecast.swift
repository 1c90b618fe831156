/// One forecast value: the belief, made at `beliefTime`, about the slot starting at `eventStart`.
public struct Forecast: Sendable, Equatable {
    /// How a forecast was made.
    public enum Method: String, Sendable, Equatable {
        /// The regression model (possibly without the regressors unknown for this slot).
        case regression
        /// The last value known at the belief time, because no model could be fitted.
        case naive
        /// Nothing was known at the belief time; `value` is `.nan`.
        case unavailable
    }

    /// Index of the forecast slot in the outcome series.
    public let slot: Int
    /// Start of the forecast slot, seconds since the epoch.
    public let eventStart: Int64
    /// When the forecast was made: the slot's end minus the horizon.
    public let beliefTime: Int64
    /// The forecast value, in the unit of the series; `.nan` when `method` is `.unavailable`.
    public let value: Double
    /// Whether the regression or the naive fallback produced `value`.
    public let method: Method
    /// Names of the regressors the model that produced `value` used (empty for naive forecasts).
    public let regressors: [String]

    /// A forecast of `slot` made at `beliefTime` (memberwise).
    public init(slot: Int, eventStart: Int64, beliefTime: Int64, value: Double, method: Method, regressors: [String]) {
        self.slot = slot
        self.eventStart = eventStart
        self.beliefTime = beliefTime
        self.value = value
        self.method = method
        self.regressors = regressors
    }
}
