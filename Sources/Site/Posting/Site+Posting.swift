import Beliefs
import GRDB
import Jobs
import Registry

extension Site {
    /// Stores the power values a user posts (postMeterData, postPrognosis): each post's series at its
    /// assets' resolution, with belief times from its timing; meter data also queues forecasts of what
    /// comes next, in the same transaction. All of it is stored or none.
    ///
    /// Throws `PostError` (a value of the wrong sign for a pure producer or consumer, meter data known
    /// before its interval ended, assets of different resolutions, data at a resolution that does not fit),
    /// `BoundsError` (a post that would store too many beliefs) or `IngestError` (the store's refusal).
    public func postPowerData(_ posts: [PowerPost], kind: PowerPost.Kind, by user: User) async throws {
        let arrival = clock()
        let assetTypes = Dictionary(uniqueKeysWithValues: try registry.assetTypes().map { ($0.name, $0) })
        var budget = PostBudget(valuesSent: posts.reduce(0) { $0 + $1.series.values.count }, settings: settings)
        var resolutions: Set<Timespan> = []
        var beliefs: [Belief] = []
        for post in posts {
            for connection in post.connections {
                let asset = connection.asset
                resolutions.insert(asset.fields.eventResolution)
                guard resolutions.count == 1 else {
                    throw PostError(.resolutionMismatch, "Requested assets do not have matching resolutions: one message covers one resolution; post assets with other resolutions in another message")
                }
                let sensor = PostedSensor(id: asset.id, resolution: asset.fields.eventResolution, name: "asset \(asset.id)")
                let fitted = try post.series.fitted(to: sensor, budget: &budget)
                let type = assetTypes[asset.fields.assetTypeName]
                for belief in post.timing.beliefs(of: fitted, sensorID: asset.id, arrival: arrival) {
                    if type?.isPureProducer == true && belief.value > 0 {
                        throw PostError(.valueTooBig, "One or more power values are too big. Connection \(connection.name) is registered as a pure producer and can only receive non-positive values (production is negative).")
                    }
                    if type?.isPureConsumer == true && belief.value < 0 {
                        throw PostError(.valueTooSmall, "One or more power values are too small. Connection \(connection.name) is registered as a pure consumer and can only receive non-negative values (consumption is positive).")
                    }
                    if kind == .meterData && belief.horizon(eventResolution: fitted.resolution) > .zero {
                        throw PostError(.positiveHorizonForMeterData, "Meter data is about the past: the value for \(belief.eventStart.iso8601) would be known at \(belief.beliefTime.iso8601), before its interval ended. Use a horizon of zero or less (e.g. -PT5M), or a prior at or after the end of the period; forecasts go to postPrognosis.")
                    }
                    beliefs.append(belief)
                }
            }
        }
        let origin = BeliefOrigin.user(id: user.id, name: user.username)
        guard kind == .meterData, settings.forecastAfterMeterData else {
            try await ingest(beliefs, from: origin)
            return
        }
        // New measurements: queue forecasts of what comes next, in the same transaction.
        let sensors = Set(beliefs.map(\.sensorID))
        let (jobs, ttl) = (self.jobs, settings.planningTTL)
        try await ingest(beliefs, from: origin) { db in
            for sensor in sensors.sorted() {
                for horizon in ForecastingJob.referenceHorizons {
                    try jobs.enqueueUnlessQueued(
                        queue: .forecasting, kind: ForecastingJob.kind,
                        payload: try ForecastingJob.latestPayload(sensorID: sensor, horizon: horizon), timeToLive: ttl, in: db
                    )
                }
            }
        }
    }

    /// Stores the prices or weather a user posts (postPriceData, postWeatherData): each post's series at
    /// each of its sensors' resolution, with belief times from its timing. All of it is stored or none.
    ///
    /// Throws `PostError` (data at a resolution that does not fit), `BoundsError` (a post that would store
    /// too many beliefs) or `IngestError` (the store's refusal).
    public func postSensorData(_ posts: [SeriesPost], by user: User) async throws {
        let arrival = clock()
        var budget = PostBudget(valuesSent: posts.reduce(0) { $0 + $1.series.values.count }, settings: settings)
        var beliefs: [Belief] = []
        for post in posts {
            for sensor in post.sensors {
                let fitted = try post.series.fitted(to: sensor, budget: &budget)
                beliefs += post.timing.beliefs(of: fitted, sensorID: sensor.id, arrival: arrival)
            }
        }
        try await ingest(beliefs, from: .user(id: user.id, name: user.username))
    }
}
