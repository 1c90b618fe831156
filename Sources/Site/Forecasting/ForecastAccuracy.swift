import BeliefStore
import Beliefs
import Registry

/// MAE and WAPE of a sensor's stored forecasts against what was measured, per horizon (reference 7.1):
/// a forecast at horizon H is one the forecaster made H before its event ended; the actual is the most
/// recent belief of a user or script.
public enum ForecastAccuracy {
    public struct Score: Sendable, Equatable {
        public let horizon: Timespan
        public let forecasts: Int
        /// Mean absolute error, in the sensor's unit.
        public let mae: Double
        /// Weighted absolute percentage error: sum |error| / sum |actual|.
        public let wape: Double
        public var accuracy: Double { 1 - wape }
    }

    public static let defaultHorizons = ForecastingJob.referenceHorizons

    public static func scores(
        sensorID: SensorID, from start: Instant, to end: Instant, horizons: [Timespan] = defaultHorizons,
        store: BeliefStore, sources: [BeliefSource]
    ) throws -> [Score] {
        guard let resolution = try store.eventResolution(of: sensorID) else {
            throw BeliefStoreError.unknownSensor(sensorID)
        }
        let beliefs = try store.beliefs(sensorID: sensorID, from: start, to: end)
        return scores(beliefs: beliefs, eventResolution: resolution, sources: sources, horizons: horizons)
    }

    /// The scores of beliefs already read (all sources of one sensor over the window).
    public static func scores(
        beliefs: [Belief], eventResolution resolution: Timespan, sources: [BeliefSource], horizons: [Timespan] = defaultHorizons
    ) -> [Score] {
        let forecasters = Set(sources.filter { $0.type == .forecaster }.map(\.id))
        let measured = Set(sources.filter(\.type.recordsOutcomes).map(\.id))
        let forecasts = beliefs.filter { forecasters.contains($0.sourceID) }
        // Without forecasts there is nothing to score: the actuals are not worth selecting.
        let actuals = forecasts.isEmpty ? [:] : Dictionary(
            BeliefSelection.mostRecent(sortedByEventStart: beliefs, eventResolution: resolution, filter: BeliefFilter(sources: measured))
                .map { ($0.eventStart, $0.value) },
            uniquingKeysWith: { first, _ in first }
        )
        return horizons.map { horizon in
            let pairs = forecasts.filter { $0.horizon(eventResolution: resolution) == horizon }
                .compactMap { forecast in actuals[forecast.eventStart].map { (forecast.value, $0) } }
            let errors = pairs.reduce(0) { $0 + abs($1.0 - $1.1) }
            let actualSum = pairs.reduce(0) { $0 + abs($1.1) }
            return Score(
                horizon: horizon, forecasts: pairs.count, mae: pairs.isEmpty ? .nan : errors / Double(pairs.count),
                wape: actualSum > 0 ? errors / actualSum : .nan
            )
        }
    }
}
