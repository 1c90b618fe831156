import Forecasting
import Foundation

/// Applies the data README's protocol to each series and prints 1 - WAPE and MAE per horizon.
enum AccuracyTable {
    struct Cell {
        var accuracy: Double
        var mae: Double
        var naive: Int
        var transformed: Int
    }

    static func run(_ data: [CSVSeries]) throws {
        var withRegressors: [(String, [Cell])] = []
        var withoutRegressors: [(String, [Cell])] = []
        for item in data {
            withRegressors.append((item.name, try evaluate(item, regressors: item.regressors)))
            withoutRegressors.append((item.name, try evaluate(item, regressors: [])))
        }
        print("Forecasting accuracy: last 14 days held out; each forecast made at its slot's end minus the horizon,")
        print("with outcomes known then and models refitted daily at 00:00 UTC on the previous 28 days.")
        print("")
        print("1 - WAPE, regressors (observations) used as perfect forecasts: an optimistic bound")
        printTable(withRegressors, targets: true) { String(format: "%.1f %%", $0.accuracy * 100) }
        print("")
        print("MAE (series' unit), regressors as perfect forecasts")
        printTable(withRegressors, targets: false) { String(format: "%.1f", $0.mae) }
        print("")
        print("1 - WAPE without regressors (auto-regression only, no optimism from weather)")
        printTable(withoutRegressors, targets: false) { String(format: "%.1f %%", $0.accuracy * 100) }
        print("")
        print("MAE without regressors")
        printTable(withoutRegressors, targets: false) { String(format: "%.1f", $0.mae) }
        print("")
        print("Forecasts not from the regression (naive or unavailable) / days (of 15) whose model uses Box-Cox, with regressors:")
        for (name, cells) in withRegressors {
            print("  \(name): " + zip(horizonsInHours, cells).map { "\($0) h \($1.naive)/\($1.transformed)" }.joined(separator: ", "))
        }
        var missed = 0
        for (name, cells) in withRegressors {
            guard let goal = targets[name] else { continue }
            for (cell, target) in zip(cells, goal) where (cell.accuracy * 1000).rounded() / 10 < target { missed += 1 }
        }
        print("")
        print(missed == 0 ? "every target cell matched or beaten" : "\(missed) target cell(s) missed")
    }

    static func evaluate(_ item: CSVSeries, regressors: [Regressor]) throws -> [Cell] {
        let series = item.series
        let slotsPerDay = Int(86_400 / series.resolution)
        let held = (series.values.count - 14 * slotsPerDay)..<series.values.count
        let actuals = Array(series.values[held])
        let forecaster = Forecaster()
        return try horizonsInHours.map { hours in
            let horizon = Int(Int64(hours) * 3600 / series.resolution)
            let forecasts = try forecaster.forecast(series, regressors: regressors, horizon: horizon, slots: held)
            let values = forecasts.map(\.value)
            var transformed = 0
            // Count Box-Cox use through a refit per day: the model is not returned by forecast().
            var day = Int64.min
            for forecast in forecasts where forecast.beliefTime / 86_400 != day {
                day = forecast.beliefTime / 86_400
                let model = try forecaster.fit(series, regressors: regressors, horizon: horizon, at: day * 86_400)
                if model.usesTransform[regressors.map(\.name).sorted()] == true { transformed += 1 }
            }
            return Cell(accuracy: Accuracy.accuracy(forecasts: values, actuals: actuals),
                        mae: Accuracy.mae(forecasts: values, actuals: actuals),
                        naive: forecasts.filter { $0.method != .regression }.count,
                        transformed: transformed)
        }
    }

    static func printTable(_ rows: [(String, [Cell])], targets showTargets: Bool, format: (Cell) -> String) {
        print("| series | " + horizonsInHours.map { "\($0) h" }.joined(separator: " | ") + " |")
        print("|---|" + horizonsInHours.map { _ in "---" }.joined(separator: "|") + "|")
        for (name, cells) in rows {
            print("| \(name) | " + cells.map(format).joined(separator: " | ") + " |")
            if showTargets, let goal = targets[name] {
                print("| (target) | " + goal.map { String(format: "%.1f %%", $0) }.joined(separator: " | ") + " |")
            }
        }
    }
}
