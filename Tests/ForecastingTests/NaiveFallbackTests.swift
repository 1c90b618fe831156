import Testing
@testable import Forecasting

/// Whenever no regression can be fitted, each slot gets the last value known at its belief
/// time (reference 7.1), and a job never fails because data is short or degenerate.
struct NaiveFallbackTests {
    static let shortLengths: [Int] = [1, 5, 47]

    @Test(arguments: shortLengths)
    func tooLittleDataGivesTheLastKnownValue(_ count: Int) throws {
        let series = TimeSeries(start: Synthetic.start, resolution: 900, values: (0..<count).map { Double($0) + 0.5 })
        let forecasts = try Forecaster().forecast(series, horizon: 1, slots: count..<(count + 1))
        #expect(forecasts.map(\.method) == [.naive])
        #expect(forecasts.map(\.value) == [Double(count - 1) + 0.5])
    }

    @Test
    func theNaiveValueSkipsMissingOutcomes() throws {
        let series = TimeSeries(start: Synthetic.start, resolution: 3600, values: [1, 2, 7, nil, nil])
        let forecast = try #require(try Forecaster().forecast(series, horizon: 2, slots: 6..<7).first)
        // Belief time is the end of slot 4: slots 3 and 4 are missing, slot 2 is the last known.
        #expect(forecast.method == .naive)
        #expect(forecast.value == 7)
    }

    @Test
    func nothingKnownGivesAnUnavailableForecast() throws {
        let series = TimeSeries(start: Synthetic.start, resolution: 900, values: [Double?](repeating: nil, count: 10))
        let forecast = try #require(try Forecaster().forecast(series, horizon: 1, slots: 5..<6).first)
        #expect(forecast.method == .unavailable)
        #expect(forecast.value.isNaN)
    }

    @Test
    func singularSystemsFallBackToNaive() throws {
        // A ramp: every lag is the target minus a constant, so with plain OLS as the only
        // penalty each candidate's normal equations are singular.
        let series = TimeSeries(start: Synthetic.start, resolution: 3600, values: (0..<(40 * 24)).map(Double.init))
        let settings = ForecastSettings(ridgePenalties: [0], boxCoxLambdas: [])
        let forecasts = try Forecaster(settings: settings).forecast(series, horizon: 3, slots: (38 * 24)..<(38 * 24 + 5))
        for forecast in forecasts {
            #expect(forecast.method == .naive)
            #expect(forecast.value == Double(forecast.slot - 3))
        }
    }

    @Test
    func theSolverRejectsSingularAndNearlySingularMatrices() {
        // Rank one, and rank one plus a perturbation far below working precision's square root.
        #expect(SymmetricSolver.solve([1, 2, 2, 4], n: 2, rhs: [1, 2]) == nil)
        #expect(SymmetricSolver.solve([1, 2, 2, 4 + 1e-14], n: 2, rhs: [1, 2]) == nil)
        #expect(SymmetricSolver.solve([4, 2, 2, 3], n: 2, rhs: [2, 1]) == [0.5, 0])
    }

    @Test
    func allMissingRegressorsGiveTheForecastWithoutThem() throws {
        let (series, _) = Synthetic.solar(days: 40)
        let empty = Regressor(name: "ghi", values: [Double](repeating: .nan, count: series.values.count))
        let slots = (38 * 96)..<(39 * 96)
        let without = try Forecaster().forecast(series, horizon: 4, slots: slots)
        let withEmpty = try Forecaster().forecast(series, regressors: [empty], horizon: 4, slots: slots)
        #expect(withEmpty == without)
        #expect(withEmpty.allSatisfy { $0.method == .regression && $0.regressors.isEmpty })
    }

    @Test
    func aRegressorThatNeverVariesIsLeftOut() throws {
        let (series, _) = Synthetic.solar(days: 40)
        let constant = Regressor(name: "ghi", values: [Double](repeating: 0, count: series.values.count))
        let slots = (38 * 96)..<(39 * 96)
        let forecasts = try Forecaster().forecast(series, regressors: [constant], horizon: 4, slots: slots)
        #expect(forecasts.allSatisfy { $0.method == .regression && $0.regressors.isEmpty })
        #expect(forecasts.map(\.value) == (try Forecaster().forecast(series, horizon: 4, slots: slots)).map(\.value))
    }
}
