import Testing
import Forecasting

/// A slot whose regressor value is unknown is forecast by a model without that regressor;
/// the other slots keep using it, and the request as a whole never fails.
struct RegressorGapTests {
    static let gapOffsets: [[Int]] = [[0], [10, 11, 12, 13], [40, 47, 95]]

    @Test(arguments: gapOffsets)
    func slotsWithoutTheRegressorUseTheModelWithoutIt(_ offsets: [Int]) throws {
        let (series, irradiance) = Synthetic.solar(days: 40)
        let day = 38 * 96
        var gappy = irradiance
        for offset in offsets { gappy.values[day + offset] = .nan }
        let slots = day..<(day + 96)
        let forecaster = Forecaster()
        let withGaps = try forecaster.forecast(series, regressors: [gappy], horizon: 4, slots: slots)
        let complete = try forecaster.forecast(series, regressors: [irradiance], horizon: 4, slots: slots)
        let without = try forecaster.forecast(series, horizon: 4, slots: slots)
        for (index, forecast) in withGaps.enumerated() {
            #expect(forecast.method == .regression)
            if offsets.contains(index) {
                #expect(forecast.regressors.isEmpty)
                #expect(forecast.value == without[index].value)
            } else {
                #expect(forecast.regressors == ["ghi"])
                #expect(forecast.value == complete[index].value)
            }
        }
    }

    @Test
    func regressorsMissingInTheFutureStillGiveForecasts() throws {
        // Measurements up to day 38 and weather forecasts that stop halfway through day 38.
        let (series, irradiance) = Synthetic.solar(days: 40)
        let day = 38 * 96
        let short = Regressor(name: "ghi", values: Array(irradiance.values.prefix(day + 48)))
        let past = TimeSeries(start: series.start, resolution: series.resolution, values: Array(series.values.prefix(day)))
        let forecasts = try Forecaster().forecast(past, regressors: [short], horizon: 96, slots: day..<(day + 96))
        #expect(forecasts.count == 96)
        #expect(forecasts.allSatisfy { $0.method == .regression })
        #expect(forecasts.prefix(48).allSatisfy { $0.regressors == ["ghi"] })
        #expect(forecasts.suffix(48).allSatisfy { $0.regressors.isEmpty })
    }

    @Test
    func theRegressorImprovesTheForecastWhereItIsKnown() throws {
        let (series, irradiance) = Synthetic.solar(days: 40)
        let slots = (36 * 96)..<(40 * 96)
        let actuals = Array(series.values[slots])
        let with = try Forecaster().forecast(series, regressors: [irradiance], horizon: 96, slots: slots).map(\.value)
        let without = try Forecaster().forecast(series, horizon: 96, slots: slots).map(\.value)
        #expect(Accuracy.mae(forecasts: with, actuals: actuals) < 0.5 * Accuracy.mae(forecasts: without, actuals: actuals))
    }
}
