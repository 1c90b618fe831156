import Beliefs

/// When the values of a post were known (reference 14.4.6, API-NOTES "Beliefs: horizon and prior"): a
/// horizon (rolling from each event's end, or fixed from the end of the posted period), a prior for the
/// whole post, both (the earlier wins), or neither (the time the post arrived). How a message spells them
/// differs per API version; the front end reads them, the site applies them.
public struct PostTiming: Sendable, Equatable {
    public let horizon: Horizon?
    public let prior: Instant?

    public init(horizon: Horizon?, prior: Instant?) {
        self.horizon = horizon
        self.prior = prior
    }

    /// The beliefs a series states about a sensor, one per value (missing values state nothing); their
    /// source is the poster's, set when they are stored.
    func beliefs(of series: Timeseries, sensorID: SensorID, arrival: Instant) -> [Belief] {
        series.values.enumerated().compactMap { index, value in
            guard let value else { return nil }
            let eventStart = series.start + series.resolution * Int64(index)
            let beliefTime = BeliefTiming.beliefTime(
                eventStart: eventStart, eventResolution: series.resolution, periodEnd: series.end, horizon: horizon, prior: prior,
                arrival: arrival
            )
            return Belief(sensorID: sensorID, eventStart: eventStart, beliefTime: beliefTime, sourceID: 0, value: value)
        }
    }
}
