import Testing
import Forecasting

/// MAE and WAPE as reference 7.1 defines them; missing pairs are left out.
struct AccuracyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let forecasts: [Double]
        let actuals: [Double]
        let mae: Double
        let wape: Double
        var testDescription: String { "\(forecasts) vs \(actuals)" }
    }

    static let cases: [Case] = [
        Case(forecasts: [1, 2, 3], actuals: [1, 2, 3], mae: 0, wape: 0),
        Case(forecasts: [0, 0], actuals: [2, 2], mae: 2, wape: 1),
        Case(forecasts: [4, 0], actuals: [2, 2], mae: 2, wape: 1),
        Case(forecasts: [3, 1, 0], actuals: [2, 0, 2], mae: 4.0 / 3, wape: 1),
        Case(forecasts: [1, .nan, 5], actuals: [2, 100, .nan], mae: 1, wape: 0.5),
        Case(forecasts: [-1, 1], actuals: [-2, 2], mae: 1, wape: 0.5),
    ]

    @Test(arguments: cases)
    func maeAndWapeMatchTheirDefinitions(_ testCase: Case) {
        #expect(abs(Accuracy.mae(forecasts: testCase.forecasts, actuals: testCase.actuals) - testCase.mae) < 1e-12)
        #expect(abs(Accuracy.wape(forecasts: testCase.forecasts, actuals: testCase.actuals) - testCase.wape) < 1e-12)
        #expect(abs(Accuracy.accuracy(forecasts: testCase.forecasts, actuals: testCase.actuals) - (1 - testCase.wape)) < 1e-12)
    }

    @Test
    func wapeIsUndefinedWhenTheActualsAreAllZero() {
        #expect(Accuracy.wape(forecasts: [1, 2], actuals: [0, 0]).isNaN)
        #expect(Accuracy.mae(forecasts: [], actuals: []).isNaN)
    }
}
