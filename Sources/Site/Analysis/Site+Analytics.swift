import Beliefs
import Registry

extension Site {
    /// The analytics of `assets` (one asset, or the assets of a type that the caller may see) from `start`
    /// to `end` at `resolution`, with forecasts at `horizon` and the weather of type `weatherType` nearest
    /// to the first asset. Throws `ChartError` for a window too long for one request or a resolution that
    /// is not a whole multiple of every asset's.
    public func analytics(
        of assets: [Asset], from start: Instant, to end: Instant, resolution: Timespan, horizon: Timespan, weatherType: String
    ) async throws -> AssetAnalytics {
        guard resolution > .zero else { throw ChartError(.resolution, "The resolution must be positive.") }
        // The window is checked whether or not there are assets: it sizes the grid and every series laid on it.
        do {
            try settings.checkWindow(from: start, to: end, resolution: resolution, what: "the window")
        } catch {
            throw ChartError(.window, error.description)
        }
        for asset in assets {
            guard resolution.isWholeMultiple(of: asset.fields.eventResolution) else {
                throw ChartError(.resolution, "Must be a whole multiple of the resolution of \(asset.fields.displayName) (\(asset.fields.eventResolution.iso8601)).")
            }
            do {
                try settings.checkWindow(from: start, to: end, resolution: asset.fields.eventResolution, what: "the window")
            } catch {
                throw ChartError(.window, error.description)
            }
        }
        return try await runBlocking { [self] in
            try analyticsNow(of: assets, from: start, to: end, resolution: resolution, horizon: horizon, weatherType: weatherType)
        }
    }

    private func analyticsNow(
        of assets: [Asset], from start: Instant, to end: Instant, resolution: Timespan, horizon: Timespan, weatherType: String
    ) throws -> AssetAnalytics {
        let sources = try registry.dataSources()
        let schedulers = Set(sources.filter { $0.type == .scheduler }.map(\.id))
        let grid = SlotGrid(start: start, end: end, resolution: resolution)
        let count = grid.starts.count
        var measured = [Double?](repeating: nil, count: count)
        var forecast = [Double?](repeating: nil, count: count)
        var totals = AssetAnalytics.horizons.map(ForecastAccuracy.Totals.init(horizon:))
        func add(_ values: [Double?], into sums: inout [Double?]) {
            for (index, value) in values.enumerated() where index < sums.count {
                if let value { sums[index] = (sums[index] ?? 0) + value }
            }
        }
        for asset in assets {
            let eventResolution = asset.fields.eventResolution
            let beliefs = try store.beliefs(sensorID: asset.id, from: start, to: end).filter { !schedulers.contains($0.sourceID) }
            // The store answers sorted by event start, and a filter keeps that order.
            let actual = BeliefSelection.mostRecent(
                sortedByEventStart: beliefs.filter { $0.horizon(eventResolution: eventResolution) <= .zero },
                eventResolution: eventResolution, filter: .all
            )
            let predicted = BeliefSelection.mostRecent(
                sortedByEventStart: beliefs, eventResolution: eventResolution, filter: BeliefFilter(horizon: horizon)
            )
            add(grid.values(of: actual, eventResolution: eventResolution), into: &measured)
            add(grid.values(of: predicted, eventResolution: eventResolution), into: &forecast)
            let scores = ForecastAccuracy.totals(beliefs: beliefs, eventResolution: eventResolution, sources: sources, horizons: AssetAnalytics.horizons)
            for index in totals.indices where index < scores.count { totals[index].add(scores[index]) }
        }
        let first = assets.first
        let market = try first?.fields.marketID.flatMap { try registry.market(id: $0) }
        var prices = [Double?](repeating: nil, count: count)
        if let market {
            prices = try grid.values(of: laidOut(market.id, market.eventResolution, from: start, to: end), eventResolution: market.eventResolution)
        }
        let sensor = try first.flatMap {
            try registry.nearestWeatherSensor(type: weatherType, latitude: $0.fields.latitude, longitude: $0.fields.longitude)
        }
        var weather = [Double?](repeating: nil, count: count)
        if let sensor {
            weather = try grid.values(of: laidOut(sensor.id, sensor.eventResolution, from: start, to: end), eventResolution: sensor.eventResolution)
        }
        let rows = grid.starts.enumerated().map { index, slot in
            AssetAnalytics.Row(start: slot, measuredMW: measured[index], forecastMW: forecast[index], price: prices[index], weather: weather[index])
        }
        return AssetAnalytics(
            assets: assets, start: start, end: end, resolution: resolution, horizon: horizon, market: market, weatherSensor: sensor,
            rows: rows, accuracy: totals.map(\.score)
        )
    }

    /// A market's or weather sensor's most recent values over the window, from the event that holds its start
    /// (a coarser sensor's event may begin before it); refused when its resolution would make too many slots.
    private func laidOut(_ sensorID: SensorID, _ eventResolution: Timespan, from start: Instant, to end: Instant) throws -> [Belief] {
        do {
            try settings.checkWindow(from: start, to: end, resolution: eventResolution, what: "the window")
        } catch {
            throw ChartError(.window, error.description)
        }
        return try store.mostRecentBeliefs(sensorID: sensorID, from: start.floored(to: eventResolution), to: end)
    }
}
