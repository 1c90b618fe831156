/// The models for one horizon fitted at one moment (reference 7.1: refitted daily), one per set
/// of regressors: a slot whose regressor value is unknown is forecast by a model without it.
public struct ForecastModel: Sendable {
    /// Horizon in slots: each forecast is made this many slots before its slot ends.
    public let horizon: Int
    /// When the model was fitted; it saw only outcomes of slots that had ended by then.
    public let fitTime: Int64
    /// Leading slots of the series whose outcomes were known at `fitTime`.
    public let knownSlots: Int

    /// Fits by the sorted names of the regressors they were allowed; nil where fitting failed.
    var fits: [[String]: RegressionFit?]

    init(horizon: Int, fitTime: Int64, knownSlots: Int, fits: [[String]: RegressionFit?]) {
        self.horizon = horizon
        self.fitTime = fitTime
        self.knownSlots = knownSlots
        self.fits = fits
    }

    /// Whether the fit for each regressor set chose a Box-Cox transform, by set.
    public var usesTransform: [[String]: Bool] {
        fits.reduce(into: [:]) { result, entry in
            if let fit = entry.value { result[entry.key] = fit.transform != nil }
        }
    }

    /// The forecast for `slot`, made at its end minus the horizon with only what was known then:
    /// the richest fitted model whose regressors are all known for the slot, else the last
    /// known value (naive), else `.unavailable`. `regressors` must be on `series`' grid.
    public func forecast(slot: Int, series: TimeSeries, regressors: [Regressor] = []) -> Forecast {
        let lookup = Dictionary(regressors.map { ($0.name, $0.values) }, uniquingKeysWith: { first, _ in first })
        let source = FeatureSource(outcome: series.values, knownSlots: series.values.count, regressors: lookup)
        return forecast(slot: slot, series: series, source: source)
    }

    /// Names of the regressors with a known value for `slot`, sorted.
    static func available(at slot: Int, in regressors: [String: [Double]]) -> [String] {
        regressors.compactMap { name, values in
            slot >= 0 && slot < values.count && values[slot].isFinite ? name : nil
        }.sorted()
    }

    func forecast(slot: Int, series: TimeSeries, source: FeatureSource) -> Forecast {
        let beliefTime = series.eventEnd(ofSlot: slot) - Int64(horizon) * series.resolution
        // Everything below reads the series only through `known`, which hides every outcome
        // that had not ended by the belief time.
        let known = source.known(upTo: slot - horizon + 1)
        let available = Set(Self.available(at: slot, in: source.regressors))
        let usable = fits.compactMap { names, fit -> RegressionFit? in
            guard let fit, names.allSatisfy(available.contains) else { return nil }
            return fit
        }.sorted { $0.regressors.count > $1.regressors.count }
        for fit in usable {
            let transformed = FeatureSource(outcome: series.values, transformedBy: fit.transform,
                                            knownSlots: known.knownSlots, regressors: source.regressors)
            if let value = fit.predict(from: transformed, at: slot) {
                return Forecast(slot: slot, eventStart: series.eventStart(ofSlot: slot), beliefTime: beliefTime,
                                value: value, method: .regression, regressors: fit.regressors)
            }
        }
        return Self.naive(slot: slot, series: series, source: known, beliefTime: beliefTime)
    }

    /// The last outcome known at the belief time: the reference's fallback.
    static func naive(slot: Int, series: TimeSeries, source: FeatureSource, beliefTime: Int64) -> Forecast {
        var index = source.knownSlots - 1
        while index >= 0 {
            let value = source.outcome(at: index)
            if value.isFinite {
                return Forecast(slot: slot, eventStart: series.eventStart(ofSlot: slot), beliefTime: beliefTime,
                                value: value, method: .naive, regressors: [])
            }
            index -= 1
        }
        return Forecast(slot: slot, eventStart: series.eventStart(ofSlot: slot), beliefTime: beliefTime,
                        value: .nan, method: .unavailable, regressors: [])
    }
}
