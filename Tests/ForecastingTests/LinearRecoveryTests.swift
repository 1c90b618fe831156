import Testing
@testable import Forecasting

/// Noise-free linear data must come back exactly: the regression, its centring and the solver
/// add no error of their own.
struct LinearRecoveryTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let resolution: Int64
        let horizon: Int
        var testDescription: String { "\(resolution) s slots, horizon \(horizon)" }
    }

    static let cases: [Case] = [
        Case(resolution: 900, horizon: 1),
        Case(resolution: 900, horizon: 4),
        Case(resolution: 900, horizon: 96),
        Case(resolution: 3600, horizon: 6),
        Case(resolution: 3600, horizon: 48),
    ]

    /// Plain OLS (penalty 0) is among the candidates, and clamping is off because the exact
    /// future values may step outside the training range.
    static let exact = ForecastSettings(clampsToTrainingRange: false)

    @Test(arguments: cases)
    func knownLinearDataIsForecastExactly(_ testCase: Case) throws {
        let perDay = Int(86_400 / testCase.resolution)
        let (series, regressor) = Synthetic.linear(days: 40, resolution: testCase.resolution, horizon: testCase.horizon)
        let slots = (38 * perDay)..<(40 * perDay)
        let forecasts = try Forecaster(settings: Self.exact).forecast(series, regressors: [regressor], horizon: testCase.horizon, slots: slots)
        #expect(forecasts.count == slots.count)
        for forecast in forecasts {
            let actual = series.values[forecast.slot]
            #expect(forecast.method == .regression)
            #expect(forecast.regressors == ["driver"])
            #expect(abs(forecast.value - actual) <= 1e-8 * abs(actual))
        }
    }

    @Test
    func recoveredCoefficientsAreTheGeneratingOnes() throws {
        let (series, regressor) = Synthetic.linear(days: 40, resolution: 3600, horizon: 2)
        let model = try Forecaster(settings: Self.exact).fit(series, regressors: [regressor], horizon: 2, at: Synthetic.start + 39 * 86_400)
        let fit = try #require(model.fits[["driver"]] ?? nil)
        #expect(fit.transform == nil)
        #expect(fit.penalty == 0)
        #expect(abs(fit.intercept - 3) < 1e-8)
        for (feature, coefficient) in zip(fit.features, fit.coefficients) {
            let expected: Double = switch feature {
            case .lag(2): 0.5
            case .regressor("driver"): 2
            default: 0
            }
            #expect(abs(coefficient - expected) < 1e-8, "\(feature)")
        }
    }
}
