/// Forecasts a regular series with an ordinary least squares auto-regressive model with external
/// variables (reference 7.1): one model per horizon, refitted every `settings.refitInterval`
/// on the last `settings.trainingWindow`, falling back to the last known value.
///
/// Pure: arrays in, forecasts out. Every forecast uses only outcomes of slots that ended by its
/// belief time, and the regressor values the caller supplies for the slot (which must be those
/// known at that belief time: a weather forecast made before it, or an observation).
public struct Forecaster: Sendable {
    /// The training window, refit interval and validation grid.
    public var settings: ForecastSettings

    /// A forecaster with `settings` (reference defaults when omitted).
    public init(settings: ForecastSettings = ForecastSettings()) {
        self.settings = settings
    }

    /// Rolling forecasts of the slots `slots` at `horizon` slots ahead: each slot's forecast is
    /// made at its end minus the horizon, by the model fitted at the latest refit time at or
    /// before then. Slots may lie beyond the series' values (the future) as long as the
    /// regressors reach them; slots without regressor values are forecast without them.
    public func forecast(_ series: TimeSeries, regressors: [Regressor] = [], horizon: Int, slots: Range<Int>) throws -> [Forecast] {
        let lookup = try validate(series, regressors: regressors, horizon: horizon)
        let source = FeatureSource(outcome: series.values, knownSlots: series.values.count, regressors: lookup)
        var models: [Int64: ForecastModel] = [:]
        var trainers: [Int64: Trainer] = [:]
        var forecasts: [Forecast] = []
        forecasts.reserveCapacity(slots.count)
        for slot in slots {
            let beliefTime = series.eventEnd(ofSlot: slot) - Int64(horizon) * series.resolution
            let fitTime = floorDivide(beliefTime, settings.refitInterval) * settings.refitInterval
            if models[fitTime] == nil {
                let trainer = self.trainer(series, regressors: lookup, horizon: horizon, fitTime: fitTime)
                trainers[fitTime] = trainer
                models[fitTime] = ForecastModel(horizon: horizon, fitTime: fitTime, knownSlots: trainer.knownSlots, fits: [:])
            }
            // Fit lazily the model for exactly the regressors known for this slot, and the one
            // without regressors as the next fallback; usually one or two fits per refit time.
            let names = ForecastModel.available(at: slot, in: lookup)
            if models[fitTime]!.fits[names] == nil {
                models[fitTime]!.fits[names] = .some(trainers[fitTime]!.fit(using: names))
            }
            if models[fitTime]!.fits[names]! == nil && models[fitTime]!.fits[[]] == nil {
                models[fitTime]!.fits[[]] = .some(trainers[fitTime]!.fit(using: []))
            }
            forecasts.append(models[fitTime]!.forecast(slot: slot, series: series, source: source))
        }
        return forecasts
    }

    /// Fits the model for `horizon` on what was known at `fitTime`: one regression with all the
    /// regressors and one without any, for slots where a regressor is unknown.
    public func fit(_ series: TimeSeries, regressors: [Regressor] = [], horizon: Int, at fitTime: Int64) throws -> ForecastModel {
        let lookup = try validate(series, regressors: regressors, horizon: horizon)
        let trainer = self.trainer(series, regressors: lookup, horizon: horizon, fitTime: fitTime)
        var fits: [[String]: RegressionFit?] = [[]: trainer.fit(using: [])]
        let all = lookup.keys.sorted()
        if !all.isEmpty { fits[all] = .some(trainer.fit(using: all)) }
        return ForecastModel(horizon: horizon, fitTime: fitTime, knownSlots: trainer.knownSlots, fits: fits)
    }

    private func trainer(_ series: TimeSeries, regressors: [String: [Double]], horizon: Int, fitTime: Int64) -> Trainer {
        let known = max(0, min(series.slotsEnded(by: fitTime), series.values.count))
        return Trainer(outcome: series.values, regressors: regressors, horizon: horizon, period: series.slotsPerDay,
                       knownSlots: known, trainingSlots: Int(settings.trainingWindow / series.resolution), settings: settings)
    }

    private func validate(_ series: TimeSeries, regressors: [Regressor], horizon: Int) throws -> [String: [Double]] {
        guard series.resolution > 0 else { throw ForecastingError.nonPositiveResolution(series.resolution) }
        guard horizon >= 1 else { throw ForecastingError.nonPositiveHorizon(horizon) }
        guard settings.trainingWindow > 0 else { throw ForecastingError.nonPositiveInterval(settings.trainingWindow) }
        guard settings.refitInterval > 0 else { throw ForecastingError.nonPositiveInterval(settings.refitInterval) }
        var lookup: [String: [Double]] = [:]
        for regressor in regressors {
            guard lookup[regressor.name] == nil else { throw ForecastingError.duplicateRegressor(regressor.name) }
            lookup[regressor.name] = regressor.values
        }
        return lookup
    }
}
