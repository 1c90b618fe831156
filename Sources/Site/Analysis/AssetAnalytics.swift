import Beliefs
import Registry

/// What the analytics page shows of one asset or an asset type over a window (reference 12): measured
/// power beside the forecasts made at a chosen horizon, the market's prices and a nearby weather sensor's
/// values, per slot, with the forecasts' accuracy per horizon.
public struct AssetAnalytics: Sendable {
    /// One slot; power in MW (consumption positive), summed over the assets; nil where nothing is known.
    public struct Row: Sendable, Equatable {
        public let start: Instant
        public let measuredMW: Double?
        public let forecastMW: Double?
        public let price: Double?
        public let weather: Double?
    }

    public let assets: [Asset]
    public let start: Instant
    public let end: Instant
    public let resolution: Timespan
    /// Forecasts shown are the most recent per event made at least this long before the event's end.
    public let horizon: Timespan
    /// The first asset's market, whose prices are shown.
    public let market: Market?
    /// The weather sensor nearest to the first asset, of the chosen type.
    public let weatherSensor: WeatherSensor?
    public let rows: [Row]
    /// MAE and WAPE of the stored forecasts per reference horizon (`ForecastingJob.referenceHorizons`),
    /// over the window and the assets together.
    public let accuracy: [ForecastAccuracy.Score]

    /// Realised (measured) and expected (forecast) energy over the slots that have them, MWh (consumption positive).
    public var measuredMWh: Double { energy(rows.compactMap(\.measuredMW)) }
    public var forecastMWh: Double { energy(rows.compactMap(\.forecastMW)) }

    private func energy(_ powers: [Double]) -> Double {
        powers.reduce(0, +) * Double(resolution.microseconds) / 3_600_000_000
    }
}

/// The forecast horizons the analytics page offers (the forecaster's own).
extension AssetAnalytics {
    public static let horizons: [Timespan] = ForecastingJob.referenceHorizons

    /// The weather a type of asset depends on most: irradiance for solar, wind speed for wind, else temperature.
    public static func weatherType(for assetTypeName: String) -> String {
        switch assetTypeName {
        case "solar": "radiation"
        case "wind": "wind_speed"
        default: "temperature"
        }
    }
}
