import Beliefs

/// A weather sensor at a location; at most one of each type per location. Its id is its sensor id.
public struct WeatherSensor: Hashable, Sendable {
    public let id: SensorID
    public var name: String
    public var displayName: String
    public var weatherSensorTypeName: String
    public var unit: String
    public var eventResolution: Timespan
    public var latitude: Double
    public var longitude: Double
}

/// What it takes to add a weather sensor. A nil unit means the type's own unit.
public struct NewWeatherSensor: Sendable {
    public var name: String
    public var displayName: String
    public var weatherSensorTypeName: String
    public var unit: String?
    public var eventResolution: Timespan
    public var latitude: Double
    public var longitude: Double

    public init(
        name: String, displayName: String? = nil, weatherSensorTypeName: String, unit: String? = nil,
        eventResolution: Timespan, latitude: Double, longitude: Double
    ) {
        self.name = name
        self.displayName = displayName ?? name
        self.weatherSensorTypeName = weatherSensorTypeName
        self.unit = unit
        self.eventResolution = eventResolution
        self.latitude = latitude
        self.longitude = longitude
    }
}
