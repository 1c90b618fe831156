import Testing
import Forecasting
import TestSupport

/// A forecast made at time t may use only outcomes of slots that ended by t: changing anything
/// after t must leave it exactly as it was.
struct NoFutureDataTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let horizon: Int
        /// Target slot, chosen at various times of day (and so at various distances from the refit).
        let slot: Int
        var testDescription: String { "horizon \(horizon), slot \(slot)" }
    }

    static let cases: [Case] = [
        Case(horizon: 1, slot: 38 * 96 + 50),
        Case(horizon: 4, slot: 38 * 96 + 3),
        Case(horizon: 4, slot: 38 * 96 + 70),
        Case(horizon: 24, slot: 38 * 96 + 40),
        Case(horizon: 96, slot: 38 * 96 + 95),
        Case(horizon: 192, slot: 38 * 96 + 20),
    ]

    static func forecast(_ series: TimeSeries, _ irradiance: Regressor, _ testCase: Case) throws -> Forecast {
        try #require(try Forecaster().forecast(series, regressors: [irradiance], horizon: testCase.horizon,
                                               slots: testCase.slot..<(testCase.slot + 1)).first)
    }

    @Test(arguments: cases)
    func outcomesAfterTheBeliefTimeDoNotChangeTheForecast(_ testCase: Case) throws {
        let (series, irradiance) = Synthetic.solar(days: 40)
        let original = try Self.forecast(series, irradiance, testCase)
        #expect(original.method == .regression)
        #expect(original.beliefTime == series.eventEnd(ofSlot: testCase.slot) - Int64(testCase.horizon) * 900)

        // Everything that ended after the belief time: the slot itself and the horizon before it.
        let firstUnknown = series.slotsEnded(by: original.beliefTime)
        #expect(firstUnknown == testCase.slot - testCase.horizon + 1)
        var generator = SeededGenerator(seed: 99)
        for replacement in ["noise", "missing", "huge"] {
            var perturbed = series
            for index in firstUnknown..<perturbed.values.count {
                perturbed.values[index] = switch replacement {
                case "noise": Double.random(in: -1e4...1e4, using: &generator)
                case "missing": .nan
                default: 1e12
                }
            }
            #expect(try Self.forecast(perturbed, irradiance, testCase) == original, "\(replacement)")
        }
    }

    @Test(arguments: cases)
    func theLatestKnownOutcomeDoesCount(_ testCase: Case) throws {
        // The check above would pass for a forecaster that ignores the data altogether.
        let (series, irradiance) = Synthetic.solar(days: 40)
        let original = try Self.forecast(series, irradiance, testCase)
        var perturbed = series
        let lastKnown = testCase.slot - testCase.horizon
        for index in (lastKnown - 96 * 7)...lastKnown { perturbed.values[index] *= 1.7 }
        #expect(try Self.forecast(perturbed, irradiance, testCase).value != original.value)
    }
}
