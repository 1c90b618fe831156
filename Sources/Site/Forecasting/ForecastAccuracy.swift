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
        totals(beliefs: beliefs, eventResolution: resolution, sources: sources, horizons: horizons).map(\.score)
    }

    /// What a score is made of, per horizon: sums that add up over sensors (an asset type's score).
    public struct Totals: Sendable, Equatable {
        public let horizon: Timespan
        public internal(set) var forecasts = 0
        public internal(set) var absoluteErrors = 0.0
        public internal(set) var absoluteActuals = 0.0

        public init(horizon: Timespan) { self.horizon = horizon }

        public mutating func add(_ other: Totals) {
            forecasts += other.forecasts
            absoluteErrors += other.absoluteErrors
            absoluteActuals += other.absoluteActuals
        }

        public var score: Score {
            Score(
                horizon: horizon, forecasts: forecasts, mae: forecasts == 0 ? .nan : absoluteErrors / Double(forecasts),
                wape: absoluteActuals > 0 ? absoluteErrors / absoluteActuals : .nan
            )
        }
    }

    /// The sums of the scores of beliefs already read (all sources of one sensor over the window).
    public static func totals(
        beliefs: [Belief], eventResolution resolution: Timespan, sources: [BeliefSource], horizons: [Timespan] = defaultHorizons
    ) -> [Totals] {
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
            var totals = Totals(horizon: horizon)
            for forecast in forecasts where forecast.horizon(eventResolution: resolution) == horizon {
                guard let actual = actuals[forecast.eventStart] else { continue }
                totals.forecasts += 1
                totals.absoluteErrors += abs(forecast.value - actual)
                totals.absoluteActuals += abs(actual)
            }
            return totals
        }
    }
}
