import Beliefs

/// A sensor that posted values go to, as a post's messages name it ("market epex_da", "temperature",
/// "asset 4").
public struct PostedSensor: Sendable, Equatable {
    public let id: SensorID
    public let resolution: Timespan
    public let name: String

    public init(id: SensorID, resolution: Timespan, name: String) {
        self.id = id
        self.resolution = resolution
        self.name = name
    }
}

/// One series of prices or weather posted for one or more sensors (a group of postPriceData or
/// postWeatherData), in the sensors' units.
public struct SeriesPost: Sendable {
    public let series: Timeseries
    public let timing: PostTiming
    public let sensors: [PostedSensor]

    public init(series: Timeseries, timing: PostTiming, sensors: [PostedSensor]) {
        self.series = series
        self.timing = timing
        self.sensors = sensors
    }
}

extension Timeseries {
    /// The series at the resolution of `sensor`: coarser data is repeated, finer or misaligned data
    /// refused. The beliefs it will make are counted against `budget` before any is made.
    func fitted(to sensor: PostedSensor, budget: inout PostBudget) throws -> Timeseries {
        guard resolution != sensor.resolution else {
            try budget.add(values.count, repeated: 1, for: sensor.name)
            return self
        }
        guard resolution > sensor.resolution, resolution.isWholeMultiple(of: sensor.resolution) else {
            throw PostError(.resolutionNotAMultiple, "the data's resolution \(resolution.iso8601) is not a whole multiple of the \(sensor.resolution.iso8601) resolution of \(sensor.name); send data at \(sensor.resolution.iso8601) or a multiple of it")
        }
        try budget.add(values.count, repeated: resolution.microseconds / sensor.resolution.microseconds, for: sensor.name)
        do {
            return try upsampled(to: sensor.resolution)
        } catch {
            throw PostError(.resolutionNotAMultiple, error.description)
        }
    }
}
