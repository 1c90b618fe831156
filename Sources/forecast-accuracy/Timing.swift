import Forecasting
import Foundation

/// Timings of the release build: fit + forecast per horizon, the 100-asset batch, and LAPACK's
/// Cholesky against a hand-written one.
enum Timing {
    static func run(_ data: [CSVSeries]) throws {
        guard let pv = data.first(where: { $0.series.resolution == 900 }) else {
            throw HarnessError("timing needs a 15-minute series (pv_serf_east_15min.csv)")
        }
        print("timing: \(ProcessInfo.processInfo.activeProcessorCount) cores")
        try single(pv)
        try batch(pv)
        SolverComparison.run()
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// A slice of `item` of `days` days ending at `end` (a slot index), regressors cut alike.
    static func slice(_ item: CSVSeries, days: Int, endingAt end: Int, scale: Double = 1) -> (TimeSeries, [Regressor]) {
        let perDay = Int(86_400 / item.series.resolution)
        let range = (end - days * perDay)..<end
        let series = TimeSeries(start: item.series.eventStart(ofSlot: range.lowerBound), resolution: item.series.resolution,
                                values: item.series.values[range].map { $0 * scale })
        return (series, item.regressors.map { Regressor(name: $0.name, values: Array($0.values[range])) })
    }

    /// One fit and one day of forecasts: `days` days of data, the last day forecast.
    static func fitAndForecastDay(_ series: TimeSeries, _ regressors: [Regressor], horizon: Int, forecaster: Forecaster) throws -> [Forecast] {
        // The slots whose belief times fall in the last whole day (UTC) for which all of them
        // lie inside the data: one refit, one day of forecasts, regressors known for every slot.
        let day: Int64 = 86_400
        let step = Int64(horizon) * series.resolution
        var fitTime = (series.eventEnd(ofSlot: series.values.count - 1) - step) / day * day
        if series.slotsEnded(by: fitTime + day - series.resolution + step) > series.values.count { fitTime -= day }
        let first = series.slotsEnded(by: fitTime + step) - 1
        let last = series.slotsEnded(by: fitTime + day - series.resolution + step) - 1
        let slots = first..<(last + 1)
        return try forecaster.forecast(series, regressors: regressors, horizon: horizon, slots: slots)
    }

    static func single(_ pv: CSVSeries) throws {
        let forecaster = Forecaster()
        print("")
        print("fit + forecast one horizon, 15-min PV series, one fit and a day (96 slots) of forecasts, median of 41 runs:")
        for (days, label) in [(28, "28 days of data (2,688 rows, weekly lags leave ~2,000 training rows)"),
                              (36, "36 days of data (28-day window of 2,688 training rows + lag history)")] {
            print("  \(label)")
            let (series, regressors) = slice(pv, days: days, endingAt: pv.series.values.count - 14 * 96)
            for hours in horizonsInHours {
                let horizon = hours * 4
                for withRegressors in [true, false] {
                    var times: [Double] = []
                    var method = ""
                    for _ in 0..<41 {
                        let start = now()
                        let forecasts = try fitAndForecastDay(series, withRegressors ? regressors : [], horizon: horizon, forecaster: forecaster)
                        times.append(now() - start)
                        method = forecasts.allSatisfy { $0.method == .regression } ? "regression" : "with fallbacks"
                    }
                    times.sort()
                    print(String(format: "    %2d h %@: median %.2f ms, max %.2f ms (%@)", hours,
                                 withRegressors ? "with regressors   " : "without regressors", times[20] * 1000, times.last! * 1000, method))
                }
            }
        }
    }

    static func batch(_ pv: CSVSeries) throws {
        // 100 assets: 36-day slices of the PV series ending on different days, scaled differently.
        let count = pv.series.values.count
        var assets: [(TimeSeries, [Regressor])] = []
        for index in 0..<100 {
            let end: Int = count - (index % 60) * 96 - (index / 60) * 13
            let scale: Double = 0.5 + Double(index) / 100
            assets.append(slice(pv, days: 36, endingAt: end, scale: scale))
        }
        let batch = assets
        let forecaster = Forecaster()
        print("")
        for parallel in [false, true] {
            let start = now()
            if parallel {
                let failures = Failures()
                DispatchQueue.concurrentPerform(iterations: assets.count) { index in
                    for hours in horizonsInHours {
                        do { _ = try fitAndForecastDay(batch[index].0, batch[index].1, horizon: hours * 4, forecaster: forecaster) } catch { failures.add() }
                    }
                }
                precondition(failures.count == 0)
            } else {
                for asset in batch {
                    for hours in horizonsInHours {
                        _ = try fitAndForecastDay(asset.0, asset.1, horizon: hours * 4, forecaster: forecaster)
                    }
                }
            }
            let elapsed = now() - start
            print(String(format: "100 assets x 4 horizons (fit + a day of forecasts each, 36 days of 15-min data, 3 regressors), %@: %.3f s",
                         parallel ? "both cores (concurrentPerform)" : "one core", elapsed))
        }
    }
}

/// A counter the concurrent batch can bump from several threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.lock(); value += 1; lock.unlock() }
    var count: Int { lock.lock(); defer { lock.unlock() }; return value }
}
