/// The id of a sensor; assets, markets and weather sensors share this one id space.
public typealias SensorID = Int64

/// Something beliefs are about: an asset's power, a market's price, a weather quantity.
public struct Sensor: Hashable, Sendable {
    /// The id shared with the asset, market or weather sensor this sensor belongs to.
    public var id: SensorID
    /// A human-readable name.
    public var name: String
    /// The unit of every value, e.g. "MW" or "EUR/MWh".
    public var unit: String
    /// The length of each event; zero for instantaneous readings.
    public var eventResolution: Timespan
    /// The IANA timezone the sensor's site lives in, e.g. "Europe/Amsterdam".
    public var timezone: String

    /// A sensor with every field given.
    public init(id: SensorID, name: String, unit: String, eventResolution: Timespan, timezone: String) {
        self.id = id
        self.name = name
        self.unit = unit
        self.eventResolution = eventResolution
        self.timezone = timezone
    }

    /// True when an event may start at `eventStart`: a whole number of resolutions after the Unix epoch,
    /// where resolutions longer than an hour only need whole hours, so that days and weeks may start at a
    /// local midnight in any whole-hour timezone.
    ///
    /// Instantaneous sensors (zero resolution) accept any instant.
    public func isOnGrid(_ eventStart: Instant) -> Bool {
        Self.isOnGrid(eventStart, eventResolution: eventResolution)
    }

    /// `isOnGrid` for a sensor of this event resolution.
    public static func isOnGrid(_ eventStart: Instant, eventResolution: Timespan) -> Bool {
        let step = min(eventResolution.microseconds.magnitude, Timespan.hours(1).microseconds.magnitude)
        // Magnitudes keep the check free of the Int64.min % -1 trap and correct before 1970.
        return step == 0 || eventStart.microsecondsSinceEpoch.magnitude % step == 0
    }
}
