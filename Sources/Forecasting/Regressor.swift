/// An external variable (temperature, wind speed, irradiance, ...) on the grid of the series it
/// helps to forecast: `values[i]` belongs to slot `i` of that series, `.nan` where unknown.
///
/// The caller puts in each slot the value known when that slot's forecast is made: an
/// observation for past slots, the latest weather forecast for future ones. The array may be
/// longer than the outcome series, since weather forecasts reach beyond the last measurement.
public struct Regressor: Sendable, Equatable {
    /// Name that tells regressors apart, e.g. "temperature" or a weather sensor's name.
    public var name: String
    /// One value per slot of the forecast series; `.nan` marks an unknown value.
    public var values: [Double]

    /// A regressor called `name` with `values` on the forecast series' grid.
    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }

    /// A regressor built from optional values, `nil` becoming `.nan`.
    public init(name: String, values: [Double?]) {
        self.init(name: name, values: values.map { $0 ?? .nan })
    }
}
