import Foundation
import Testing
@testable import Forecasting
import TestSupport

/// The Box-Cox transform is chosen per series by cross-validation, never by rule.
struct TransformSelectionTests {
    @Test
    func aSeriesTheTransformHurtsDoesNotGetIt() throws {
        // Exactly linear: any power transform bends what the model could fit exactly.
        let (series, regressor) = Synthetic.linear(days: 40, resolution: 3600, horizon: 2)
        let model = try Forecaster().fit(series, regressors: [regressor], horizon: 2, at: Synthetic.start + 39 * 86_400)
        #expect(model.usesTransform[["driver"]] == false)
    }

    @Test
    func aSeriesLinearInTheTransformedScaleGetsIt() throws {
        // The square of a linear function of the regressor, zeros included: linear after a
        // square-root-like transform, curved before it.
        var generator = SeededGenerator(seed: 5)
        let count = 40 * 24
        let driver = (0..<count).map { _ in Double.random(in: 0...10, using: &generator) }
        let values = driver.map { max(0, $0 - 2) * max(0, $0 - 2) * 30 }
        let series = TimeSeries(start: Synthetic.start, resolution: 3600, values: values)
        let settings = ForecastSettings(boxCoxLambdas: [0.5])
        let model = try Forecaster(settings: settings).fit(series, regressors: [Regressor(name: "driver", values: driver)],
                                                           horizon: 1, at: Synthetic.start + 39 * 86_400)
        #expect(model.usesTransform[["driver"]] == true)
    }

    @Test
    func withoutCandidatesNoTransformIsUsed() throws {
        let (series, irradiance) = Synthetic.solar(days: 40)
        let model = try Forecaster(settings: ForecastSettings(boxCoxLambdas: [])).fit(series, regressors: [irradiance], horizon: 4,
                                                                                     at: Synthetic.start + 39 * 86_400)
        #expect(model.usesTransform.values.allSatisfy { !$0 })
    }
}
