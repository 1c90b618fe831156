/// One source's belief, formed at `beliefTime`, about the value of one event of one sensor.
///
/// (sensorID, eventStart, beliefTime, sourceID, cumulativeProbability) identifies a belief.
public struct Belief: Hashable, Sendable {
    /// The sensor the event belongs to.
    public var sensorID: SensorID
    /// The start of the event; it lasts the sensor's event resolution.
    public var eventStart: Instant
    /// When the source formed (recorded) this belief.
    public var beliefTime: Instant
    /// The source holding the belief.
    public var sourceID: SourceID
    /// Which quantile of the source's probability distribution `value` is; 0.5 for a point estimate.
    public var cumulativeProbability: Double
    /// The believed value, in the sensor's unit.
    public var value: Double

    /// A belief; a point estimate unless `cumulativeProbability` says otherwise.
    public init(
        sensorID: SensorID, eventStart: Instant, beliefTime: Instant, sourceID: SourceID,
        cumulativeProbability: Double = 0.5, value: Double
    ) {
        self.sensorID = sensorID
        self.eventStart = eventStart
        self.beliefTime = beliefTime
        self.sourceID = sourceID
        self.cumulativeProbability = cumulativeProbability
        self.value = value
    }

    /// Event end minus belief time: positive for a forecast, zero or negative for a measurement.
    public func horizon(eventResolution: Timespan) -> Timespan {
        eventStart + eventResolution - beliefTime
    }
}
