import Foundation
@testable import Forecasting
import TestSupport

/// Test data: series with known structure on a 15-minute or hourly grid.
enum Synthetic {
    /// 2024-01-01T00:00:00Z, a day boundary, so refits fall on whole days of slots.
    static let start: Int64 = 1_704_067_200

    /// `y[k] = intercept + lagCoefficient * y[k - horizon] + regressorCoefficient * r[k]`, exactly,
    /// with `r` uniform random: data a linear model with those features reproduces exactly.
    static func linear(days: Int, resolution: Int64, horizon: Int, seed: UInt64 = 1,
                       intercept: Double = 3, lagCoefficient: Double = 0.5, regressorCoefficient: Double = 2)
        -> (series: TimeSeries, regressor: Regressor) {
        var generator = SeededGenerator(seed: seed)
        let count = days * Int(86_400 / resolution)
        let driver = (0..<count).map { _ in Double.random(in: 0...10, using: &generator) }
        var values = [Double](repeating: 0, count: count)
        for k in 0..<count {
            let lagged = k >= horizon ? values[k - horizon] : 0
            values[k] = intercept + lagCoefficient * lagged + regressorCoefficient * driver[k]
        }
        return (TimeSeries(start: start, resolution: resolution, values: values), Regressor(name: "driver", values: driver))
    }

    /// A PV-like series: a daily bell of clear-sky power times a cloudiness that drifts, with
    /// zeros at night, and the matching irradiance regressor.
    static func solar(days: Int, resolution: Int64 = 900, seed: UInt64 = 2) -> (series: TimeSeries, irradiance: Regressor) {
        var generator = SeededGenerator(seed: seed)
        let perDay = Int(86_400 / resolution)
        var clearness = 0.8
        var power: [Double] = []
        var irradiance: [Double] = []
        for k in 0..<(days * perDay) {
            clearness = min(1, max(0.1, clearness + Double.random(in: -0.05...0.05, using: &generator)))
            let hour = Double(k % perDay) / Double(perDay) * 24
            let sun = max(0, sin((hour - 6) / 12 * .pi))
            let light = 1000 * sun * clearness
            irradiance.append(light)
            power.append(sun > 0 ? 4.5 * light + Double.random(in: -50...50, using: &generator) : 0)
        }
        return (TimeSeries(start: start, resolution: resolution, values: power), Regressor(name: "ghi", values: irradiance))
    }
}
