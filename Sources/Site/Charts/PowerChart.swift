import Beliefs
import Registry

/// An asset's power over a window: the most recent measurement, forecast and schedule per slot, and how
/// good the stored forecasts were (per horizon). The front end draws it (the API as a Vega-Lite spec).
public struct PowerChart: Sendable {
    /// Which beliefs a line shows: measured (horizon zero or less), forecast (positive horizon, not the
    /// scheduler's) or scheduled (the scheduler's).
    public enum Line: String, Sendable, CaseIterable {
        case measurements, forecasts, schedules
    }

    /// One slot's value of a line, in MW, with the sign `consumptionPositive` asks for.
    public struct Point: Sendable, Equatable {
        public let time: Instant
        public let power: Double
        public let line: Line
    }

    public let asset: Asset
    public let consumptionPositive: Bool
    /// The lines' points, measurements first, each line in time order.
    public let points: [Point]
    public let forecastAccuracy: [ForecastAccuracy.Score]

    /// The same chart with every point's time moved by `shift` (a demo shows an old year as this one).
    public func shifted(by shift: Timespan) -> PowerChart {
        guard shift != .zero else { return self }
        return PowerChart(
            asset: asset, consumptionPositive: consumptionPositive,
            points: points.map { Point(time: $0.time + shift, power: $0.power, line: $0.line) }, forecastAccuracy: forecastAccuracy
        )
    }
}

/// Why a chart cannot be drawn as asked, with what to ask instead.
public typealias ChartError = SiteError<ChartProblem>

public enum ChartProblem: Sendable, Hashable {
    /// The window covers more slots than one request may.
    case window
    /// The resolution is not a whole multiple of the asset's.
    case resolution
}
