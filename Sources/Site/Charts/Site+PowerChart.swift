import Beliefs
import Registry

extension Site {
    /// The power chart of an asset from `start` to `end` at `resolution` (the asset's when nil). Throws
    /// `ChartError` for a window too long for one request or a resolution the asset's does not divide.
    public func powerChart(
        of asset: Asset, from start: Instant, to end: Instant, resolution: Timespan?, consumptionPositive: Bool
    ) async throws -> PowerChart {
        let eventResolution = asset.fields.eventResolution
        do {
            try settings.checkWindow(from: start, to: end, resolution: eventResolution, what: "the window from start_time to end_time")
        } catch {
            throw ChartError(.window, error.description)
        }
        let resolution = resolution ?? eventResolution
        guard resolution.isWholeMultiple(of: eventResolution) else {
            throw ChartError(.resolution, "Must be a whole multiple of the asset's \(eventResolution.iso8601).")
        }
        return try await runBlocking { [self] in
            try chart(asset, from: start, to: end, resolution: resolution, consumptionPositive: consumptionPositive)
        }
    }

    private func chart(
        _ asset: Asset, from start: Instant, to end: Instant, resolution: Timespan, consumptionPositive: Bool
    ) throws -> PowerChart {
        let sources = try registry.dataSources()
        let sourceTypes = Dictionary(uniqueKeysWithValues: sources.map { ($0.id, $0.type) })
        let beliefs = try store.beliefs(sensorID: asset.id, from: start, to: end)
        let eventResolution = asset.fields.eventResolution
        func admits(_ line: PowerChart.Line, _ belief: Belief) -> Bool {
            switch line {
            case .measurements: belief.horizon(eventResolution: eventResolution) <= .zero
            case .forecasts: belief.horizon(eventResolution: eventResolution) > .zero && sourceTypes[belief.sourceID] != .scheduler
            case .schedules: sourceTypes[belief.sourceID] == .scheduler
            }
        }
        var points: [PowerChart.Point] = []
        for line in PowerChart.Line.allCases {
            // The store answers sorted by event start, and a filter keeps that order.
            let selected = BeliefSelection.mostRecent(
                sortedByEventStart: beliefs.filter { admits(line, $0) }, eventResolution: eventResolution, filter: .all
            )
            guard !selected.isEmpty else { continue }
            var series = Timeseries.aligning(selected, start: start, end: end, resolution: eventResolution)
            if resolution != eventResolution { series = try series.downsampled(to: resolution) }
            for event in series.events {
                guard let value = event.value else { continue }
                points.append(PowerChart.Point(time: event.start, power: consumptionPositive ? value : -value, line: line))
            }
        }
        return PowerChart(
            asset: asset, consumptionPositive: consumptionPositive, points: points,
            forecastAccuracy: ForecastAccuracy.scores(beliefs: beliefs, eventResolution: eventResolution, sources: sources)
        )
    }
}
