import ArgumentParser
import BeliefStore
import Beliefs
import Foundation
import Registry
import Site

/// `flexmeasures show accuracy`: MAE and 1 - WAPE of stored forecasts against what was measured.
struct ShowAccuracy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accuracy",
        abstract: "MAE and accuracy (1 - WAPE) of a sensor's stored forecasts, per horizon, over a window.",
        discussion: "A forecast at horizon H is one the forecaster made H before its event ended; actuals are the most recent other beliefs."
    )

    @Option(name: .customLong("sensor-id"), help: "The sensor: an asset, market or weather sensor id.") var sensorID: Int64
    @OptionGroup var window: WindowOptions
    @Option(help: "Horizons (ISO 8601), repeatable. Default: PT1H, PT6H, PT24H, PT48H.") var horizon: [String] = []
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let (from, to) = try window.window()
        let horizons = try parsedHorizons(horizon)
        let site = try database.site()
        let scores: [ForecastAccuracy.Score]
        do {
            scores = try ForecastAccuracy.scores(
                sensorID: sensorID, from: from, to: to, horizons: horizons, store: site.store, sources: try site.registry.dataSources()
            )
        } catch let error as BeliefStoreError {
            throw UsageFailure("invalid value for --sensor-id: \(error.description)")
        }
        print("horizon,forecasts,mae,wape,accuracy")
        for score in scores {
            print("\(score.horizon.iso8601),\(score.forecasts),\(String(format: "%.4f", score.mae)),\(String(format: "%.4f", score.wape)),\(String(format: "%.1f%%", score.accuracy * 100))")
        }
    }
}
