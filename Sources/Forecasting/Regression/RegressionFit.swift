/// One fitted linear model: working-scale coefficients over its features, and what turns its
/// output back into a forecast in the series' unit.
struct RegressionFit: Sendable {
    /// The columns, in coefficient order (the intercept is separate).
    let features: [Feature]
    /// Raw-scale coefficients: `intercept + sum(coefficients[j] * features[j])`.
    let coefficients: [Double]
    let intercept: Double
    /// The Box-Cox transform the model works in, when validation chose one.
    let transform: ZeroAwareBoxCox?
    /// Bounds forecasts are clamped to: the outcomes seen in training, or infinite when the
    /// settings turn clamping off.
    let lowest: Double
    let highest: Double
    /// Regressors the model actually uses (sorted names).
    let regressors: [String]
    /// The ridge penalty cross-validation chose.
    let penalty: Double
    /// Cross-validated mean absolute error in the series' unit.
    let validationError: Double

    /// The forecast for target slot `k`, or nil when one of the model's inputs is missing there.
    func predict(from source: FeatureSource, at k: Int) -> Double? {
        var working = intercept
        for (feature, coefficient) in zip(features, coefficients) {
            let value = source.value(of: feature, at: k)
            guard value.isFinite else { return nil }
            working += coefficient * value
        }
        let value = transform?.inverse(working) ?? working
        guard value.isFinite else { return nil }
        return min(max(value, lowest), highest)
    }
}
