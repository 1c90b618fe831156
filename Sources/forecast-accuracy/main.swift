import Forecasting
import Foundation

// The accuracy harness of the Forecasting module.
//
//   ForecastAccuracy <csv file or folder>...        the accuracy table of the data README's protocol
//   ForecastAccuracy --timing <csv file or folder>  fit/forecast timings and the solver comparison
//
// Protocol (shared/data/forecasting/README.md): hold out the last 14 days; for each horizon
// (1 h, 6 h, 24 h, 48 h) forecast every held-out slot at its end minus the horizon, using only
// data known then: outcomes of slots that had ended, models refitted daily (00:00 UTC) on the
// 28 days before. Regressors are the observations, used as perfect forecasts.

let horizonsInHours = [1, 6, 24, 48]
/// The reference scores (1 - WAPE, %), which every cell must match or beat.
let targets: [String: [Double]] = [
    "pv_serf_east_15min": [64.7, 61.4, 63.5, 64.8],
    "wind_greensboro_1h": [76.9, 69.5, 67.1, 66.0],
]

var arguments = Array(CommandLine.arguments.dropFirst())
let timing = arguments.contains("--timing")
arguments.removeAll { $0 == "--timing" }
if arguments.isEmpty { arguments = ["/work/shared/data/forecasting"] }

var files: [URL] = []
for argument in arguments {
    let url = URL(fileURLWithPath: argument)
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".csv") }.sorted()
        files += names.map { url.appendingPathComponent($0) }
    } else {
        files.append(url)
    }
}
let data = try files.map(CSVSeries.init(contentsOf:))

if timing {
    try Timing.run(data)
} else {
    try AccuracyTable.run(data)
}
