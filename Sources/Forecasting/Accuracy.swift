/// Accuracy measures of forecasts against measurements (reference 7.1): pairs where either side
/// is missing (`.nan`) are left out.
public enum Accuracy {
    /// Mean absolute error; `.nan` when no pair has both values.
    public static func mae(forecasts: [Double], actuals: [Double]) -> Double {
        var sum = 0.0
        var count = 0
        for (forecast, actual) in zip(forecasts, actuals) where forecast.isFinite && actual.isFinite {
            sum += abs(forecast - actual)
            count += 1
        }
        return count > 0 ? sum / Double(count) : .nan
    }

    /// Weighted absolute percentage error, sum |error| / sum |actual|: unlike MAPE it stays
    /// defined for series with many zeros. `.nan` when the actuals sum to zero.
    public static func wape(forecasts: [Double], actuals: [Double]) -> Double {
        var errors = 0.0
        var volume = 0.0
        for (forecast, actual) in zip(forecasts, actuals) where forecast.isFinite && actual.isFinite {
            errors += abs(forecast - actual)
            volume += abs(actual)
        }
        return volume > 0 ? errors / volume : .nan
    }

    /// The reference's headline accuracy, 1 - WAPE: 1 for perfect forecasts, 0 when the
    /// errors add up to the actuals' volume.
    public static func accuracy(forecasts: [Double], actuals: [Double]) -> Double {
        1 - wape(forecasts: forecasts, actuals: actuals)
    }
}
