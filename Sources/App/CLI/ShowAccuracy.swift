import ArgumentParser
import BeliefStore
import Beliefs
import Foundation
import Registry

/// `flexmeasures show accuracy`: MAE and 1 - WAPE of stored forecasts against what was measured.
struct ShowAccuracy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accuracy",
        abstract: "MAE and accuracy (1 - WAPE) of a sensor's stored forecasts, per horizon, over a window.",
        discussion: "A forecast at horizon H is one the forecaster made H before its event ended; actuals are the most recent other beliefs."
    )

    @Option(name: .customLong("sensor-id"), help: "The sensor: an asset, market or weather sensor id.") var sensorID: Int64
    @Option(help: "The start of the window (ISO 8601 with an offset).") var start: String
    @Option(help: "The length of the window (ISO 8601 duration, e.g. P14D).") var duration: String
    @Option(help: "Horizons (ISO 8601), repeatable. Default: PT1H, PT6H, PT24H, PT48H.") var horizon: [String] = []
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let from: Instant
        let length: Timespan
        do { from = try Instant.parseISO8601(start) } catch { throw UsageFailure("invalid value for --start: \(error)") }
        do { length = try Timespan.parseISO8601(duration) } catch { throw UsageFailure("invalid value for --duration: \(error)") }
        let horizons = try (horizon.isEmpty ? ["PT1H", "PT6H", "PT24H", "PT48H"] : horizon).map { text in
            do { return try Timespan.parseISO8601(text) } catch { throw UsageFailure("invalid value for --horizon: \(error)") }
        }
        let site = try database.open()
        let store = BeliefStore(database: site)
        let sources = try site.pool.read { db in try SensorCatalog.sources(in: db) }
        let forecasters = Set(sources.filter { $0.type == .forecaster }.map(\.id))
        guard let resolution = try site.pool.read({ db in try SensorCatalog.sensorShape(id: sensorID, in: db) })?.eventResolution else {
            throw UsageFailure("invalid value for --sensor-id: no sensor with id \(sensorID)")
        }
        let actuals = Dictionary(
            try store.mostRecentBeliefs(sensorID: sensorID, from: from, to: from + length,
                                        filter: BeliefFilter(sources: Set(sources.map(\.id)).subtracting(forecasters)))
                .map { ($0.eventStart, $0.value) },
            uniquingKeysWith: { first, _ in first }
        )
        let all = try store.beliefs(sensorID: sensorID, from: from, to: from + length, filter: BeliefFilter(sources: forecasters))
        print("horizon,forecasts,mae,wape,accuracy")
        for horizon in horizons {
            let pairs = all.filter { $0.horizon(eventResolution: resolution) == horizon }
                .compactMap { forecast in actuals[forecast.eventStart].map { (forecast: forecast.value, actual: $0) } }
            let absoluteErrors = pairs.reduce(0) { $0 + abs($1.forecast - $1.actual) }
            let absoluteActuals = pairs.reduce(0) { $0 + abs($1.actual) }
            let mae = pairs.isEmpty ? Double.nan : absoluteErrors / Double(pairs.count)
            let wape = absoluteActuals > 0 ? absoluteErrors / absoluteActuals : Double.nan
            print("\(horizon.iso8601),\(pairs.count),\(String(format: "%.4f", mae)),\(String(format: "%.4f", wape)),\(String(format: "%.1f%%", (1 - wape) * 100))")
        }
    }
}
