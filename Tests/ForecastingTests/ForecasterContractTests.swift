import Testing
import Forecasting

/// The shape of the answers and the input errors jobs will rely on.
struct ForecasterContractTests {
    @Test
    func beliefTimeIsTheSlotEndMinusTheHorizon() throws {
        let (series, irradiance) = Synthetic.solar(days: 36)
        let slots = (35 * 96)..<(36 * 96)
        let forecasts = try Forecaster().forecast(series, regressors: [irradiance], horizon: 8, slots: slots)
        #expect(forecasts.map(\.slot) == Array(slots))
        for forecast in forecasts {
            #expect(forecast.eventStart == Synthetic.start + Int64(forecast.slot) * 900)
            #expect(forecast.beliefTime == forecast.eventStart + 900 - 8 * 900)
        }
    }

    @Test
    func slotsBeyondTheDataAreForecast() throws {
        let (series, irradiance) = Synthetic.solar(days: 36)
        let past = TimeSeries(start: series.start, resolution: 900, values: Array(series.values.prefix(35 * 96)))
        let forecasts = try Forecaster().forecast(past, regressors: [irradiance], horizon: 96, slots: (35 * 96)..<(36 * 96))
        #expect(forecasts.allSatisfy { $0.method == .regression && $0.value.isFinite })
    }

    @Test
    func oneFitServesEverySlotOfTheSameDay() throws {
        // Fitting once at midnight and forecasting equals the rolling forecast of that day.
        let (series, irradiance) = Synthetic.solar(days: 36)
        let day = 35 * 96
        let model = try Forecaster().fit(series, regressors: [irradiance], horizon: 1, at: Synthetic.start + 35 * 86_400)
        let rolling = try Forecaster().forecast(series, regressors: [irradiance], horizon: 1, slots: day..<(day + 95))
        for forecast in rolling {
            #expect(model.forecast(slot: forecast.slot, series: series, regressors: [irradiance]) == forecast)
        }
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        let resolution: Int64
        let horizon: Int
        let names: [String]
        let error: ForecastingError
        var testDescription: String { error.description }
    }

    static let badInputs: [BadInput] = [
        BadInput(resolution: 0, horizon: 1, names: [], error: .nonPositiveResolution(0)),
        BadInput(resolution: 900, horizon: 0, names: [], error: .nonPositiveHorizon(0)),
        BadInput(resolution: 900, horizon: 1, names: ["t", "t"], error: .duplicateRegressor("t")),
    ]

    @Test(arguments: badInputs)
    func malformedRequestsThrow(_ input: BadInput) {
        let series = TimeSeries(start: 0, resolution: input.resolution, values: [1, 2, 3])
        let regressors = input.names.map { Regressor(name: $0, values: [1, 2, 3]) }
        #expect(throws: input.error) {
            try Forecaster().forecast(series, regressors: regressors, horizon: input.horizon, slots: 3..<4)
        }
    }

    @Test
    func slotArithmeticHandlesTimesBeforeTheStart() {
        let series = TimeSeries(start: 1_000, resolution: 100, values: [1, 2])
        #expect(series.slot(containing: 999) == -1)
        #expect(series.slot(containing: 1_000) == 0)
        #expect(series.slotsEnded(by: 1_199) == 1)
        #expect(series.eventEnd(ofSlot: 1) == 1_200)
    }
}
