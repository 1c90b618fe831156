import BeliefStore
import Beliefs
import Forecasting
import Foundation
import Jobs
import Registry

/// Forecasts one sensor over a window at one horizon (reference 7.1): the sensor's own beliefs as the
/// outcome series, the nearest weather sensors of each type within the configured distance as
/// regressors, both as known at the forecasts' belief times; the forecasts are stored as beliefs with the
/// forecaster as source and their belief time, so `horizon`/`prior` queries see what was known when.
public enum ForecastingJob {
    public static let kind = "forecast-sensor"
    /// How far back the model looks: 28 days of training plus a week of lags.
    static let history = Timespan.days(36)

    /// What a forecasting job forecasts: one sensor at one horizon, over a window or after its latest data.
    struct Payload: Codable, Sendable, Equatable {
        let sensorID: SensorID
        /// An ISO 8601 duration.
        let horizon: String
        /// The window's ISO 8601 bounds; absent when `window` is "latest".
        var start: String?
        var end: String?
        /// "latest": the horizon after the sensor's latest data, whenever the job runs.
        var window: String?

        enum CodingKeys: String, CodingKey {
            case sensorID = "sensor_id", horizon, start, end, window
        }
    }

    /// How many forecasts a job made and stored, how many of them it found stored already (made by an
    /// earlier job for the same moment) and left as they were, and how many fell back to the last value.
    struct Result: Codable, Sendable {
        let forecasts: Int
        var alreadyStored = 0
        let naive: Int

        enum CodingKeys: String, CodingKey {
            case forecasts, alreadyStored = "already_stored", naive
        }
    }

    public static func payload(sensorID: SensorID, horizon: Timespan, start: Instant, end: Instant) throws -> String {
        try JobCoding.encode(Payload(sensorID: sensorID, horizon: horizon.iso8601, start: start.iso8601, end: end.iso8601))
    }

    /// The horizons the reference forecasts (after new meter data, and by default in `add forecasts` and
    /// `show accuracy`).
    public static let referenceHorizons: [Timespan] = [.hours(1), .hours(6), .hours(24), .hours(48)]

    /// A job that forecasts the `horizon` after the sensor's latest data, whenever it runs: queued after
    /// each post of meter data, at most once per sensor and horizon while it waits.
    public static func latestPayload(sensorID: SensorID, horizon: Timespan) throws -> String {
        try JobCoding.encode(Payload(sensorID: sensorID, horizon: horizon.iso8601, window: "latest"))
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The job handler; returns how many forecasts it stored and how many fell back to the last value.
    public static func run(_ job: Job, site: Site) async throws -> String {
        let payload = try JobCoding.decode(Payload.self, from: job.payload, what: "the payload of forecasting job \(job.id)")
        let sensor = payload.sensorID
        guard let horizon = try? Timespan.parseISO8601(payload.horizon) else {
            throw Failure(description: "the horizon '\(payload.horizon)' of forecasting job \(job.id) is not an ISO 8601 duration")
        }
        let outcomeSources = try outcomeSources(site)
        let start: Instant
        let end: Instant
        if payload.window == "latest" {
            // From the end of the latest event with data (not the forecasts and schedules), the horizon ahead.
            guard let latest = try site.store.latestEventStart(sensorID: sensor, sources: outcomeSources),
                  let resolution = try site.store.eventResolution(of: sensor) else {
                return try JobCoding.encode(Result(forecasts: 0, naive: 0))
            }
            start = latest + resolution
            end = start + horizon
        } else {
            guard let from = payload.start.flatMap({ try? Instant.parseISO8601($0) }),
                  let to = payload.end.flatMap({ try? Instant.parseISO8601($0) }) else {
                throw Failure(description: "the payload of forecasting job \(job.id) has neither a window (start and end) nor \"window\": \"latest\"")
            }
            start = from
            end = to
        }
        // Forecasts are background work: requests and schedules come first.
        let forecasts = try await runBlocking(priority: .background) {
            try self.forecasts(
                sensorID: sensor, horizon: horizon, from: start, to: end, outcomeSources: outcomeSources, site: site
            )
        }
        let receipt = try await store(forecasts, sensorID: sensor, site: site)
        var result = Result(forecasts: receipt.beliefs, naive: forecasts.filter { $0.method == .naive }.count)
        result.alreadyStored = receipt.skipped
        return try JobCoding.encode(result)
    }

    /// The sources whose data are outcomes (see `SourceType.recordsOutcomes`).
    static func outcomeSources(_ site: Site) throws -> Set<SourceID> {
        Set(try site.registry.dataSources().filter(\.type.recordsOutcomes).map(\.id))
    }

    /// Rolling forecasts of the slots in [start, end), each made at its end minus `horizon`.
    public static func forecasts(
        sensorID: SensorID, horizon: Timespan, from start: Instant, to end: Instant, outcomeSources: Set<SourceID>,
        site: Site
    ) throws -> [Forecast] {
        let resolution = try site.store.eventResolution(of: sensorID)
        guard let resolution, resolution > .zero else { throw Failure(description: "no sensor \(sensorID) with a resolution") }
        guard horizon > .zero, horizon.isWholeMultiple(of: resolution) else {
            throw Failure(description: "the horizon \(horizon.iso8601) is not a whole number of the sensor's \(resolution.iso8601) slots")
        }
        let step = resolution.microseconds
        let first = start.floored(to: resolution)
        let seriesStart: Instant = first - history
        let slots = Int((end - first).microseconds / step)
        guard slots > 0 else { return [] }
        guard slots <= site.settings.maximumSlotsPerRequest else {
            throw Failure(description: "a forecast of \(slots) slots from \(start.iso8601) to \(end.iso8601) is more than one job makes (\(site.settings.maximumSlotsPerRequest), FLEXMEASURES_MAX_SLOTS_PER_REQUEST); forecast shorter windows")
        }
        let windowEnd: Instant = first + resolution * Int64(slots)
        // Knowledge as of the last forecast's belief time; the forecaster itself uses only events that
        // ended by each forecast's own belief time.
        let knownBy: Instant = windowEnd - horizon
        // Outcomes through the window too: the forecaster reads only those that ended by each forecast's
        // belief time, so a backfill over past days sees what each forecast could have seen.
        let outcomes = try site.store.timeseries(
            sensorID: sensorID, from: seriesStart, to: windowEnd, filter: .knownAt(knownBy, sources: outcomeSources)
        )
        let series = TimeSeries(start: seriesStart.microsecondsSinceEpoch / 1_000_000, resolution: resolution.microseconds / 1_000_000,
                                values: outcomes.values)
        let offset = Int((first - seriesStart).microseconds / step)
        let regressors = try self.regressors(
            for: sensorID, from: seriesStart, to: windowEnd, resolution: resolution, knownBy: knownBy,
            forecastSlots: offset..<(offset + slots), horizon: horizon, site: site
        )
        return try Forecaster().forecast(series, regressors: regressors, horizon: Int(horizon.microseconds / resolution.microseconds),
                                         slots: offset..<(offset + slots))
            .filter { $0.method != .unavailable }
    }

    /// The nearest weather sensor of each type within the distance, on the sensor's grid. Training slots
    /// get what was known by the job's last forecast; each forecast slot gets what was known when its
    /// forecast was made (its end minus the horizon), so no forecast leans on a later weather forecast.
    static func regressors(
        for sensorID: SensorID, from start: Instant, to end: Instant, resolution: Timespan, knownBy: Instant,
        forecastSlots: Range<Int>, horizon: Timespan, site: Site
    ) throws -> [Regressor] {
        guard let asset = try site.registry.asset(id: sensorID) else { return [] }
        let nearby = try site.registry.weatherSensors()
            .map { (sensor: $0, distance: distanceInKilometres(asset.fields.latitude, asset.fields.longitude, $0.latitude, $0.longitude)) }
            .filter { $0.distance <= site.settings.regressorDistanceKilometres }
        var regressors: [Regressor] = []
        for type in ["temperature", "wind_speed", "radiation"] {
            guard let sensor = nearby.filter({ $0.sensor.weatherSensorTypeName == type }).min(by: { $0.distance < $1.distance })?.sensor else {
                continue
            }
            let stored: SeriesReader = { from, to, filter, resampledTo in
                try site.store.timeseries(sensorID: sensor.id, from: from, to: to, filter: filter, resolution: resampledTo)
            }
            guard var values = try? values(of: sensor, from: start, to: end, resolution: resolution, knownBy: knownBy, read: stored) else {
                continue
            }
            // Each forecast slot sees the weather as known when its forecast was made: the beliefs of all
            // forecast slots are read once and selected per slot in memory.
            let slots = forecastSlots.clamped(to: 0..<values.count)
            guard !slots.isEmpty else { regressors.append(Regressor(name: type, values: values)); continue }
            let own = sensor.eventResolution
            let loaded = try site.store.beliefs(
                sensorID: sensor.id, from: start + resolution * Int64(slots.lowerBound) - own,
                to: start + resolution * Int64(slots.upperBound) + own
            )
            let inMemory: SeriesReader = { from, to, filter, resampledTo in
                let selected = BeliefSelection.mostRecent(
                    BeliefSelection.window(loaded, start: from, end: to), eventResolution: own, filter: filter
                )
                return try Timeseries.aligning(selected, start: from, end: to, eventResolution: own, resampledTo: resampledTo)
            }
            for slot in slots {
                let slotStart = start + resolution * Int64(slot)
                values[slot] = (try? self.values(
                    of: sensor, from: slotStart, to: slotStart + resolution, resolution: resolution,
                    knownBy: slotStart + resolution - horizon, read: inMemory
                ))?.first ?? nil
            }
            regressors.append(Regressor(name: type, values: values))
        }
        return regressors
    }

    /// A sensor's most recent beliefs over [from, to) that a filter admits, as a series on its grid or
    /// resampled: from the store, or from beliefs read before.
    typealias SeriesReader = (_ from: Instant, _ to: Instant, _ filter: BeliefFilter, _ resampledTo: Timespan?) throws -> Timeseries

    /// A weather sensor's values on the grid of `resolution` slots from `start`: the mean of its values
    /// within each slot when it is finer, else the value of its slot that holds the slot's start.
    static func values(
        of sensor: WeatherSensor, from start: Instant, to end: Instant, resolution: Timespan, knownBy: Instant, read: SeriesReader
    ) throws -> [Double?] {
        let own = sensor.eventResolution
        let filter = BeliefFilter.knownAt(knownBy)
        let count = Int((end - start).microseconds / resolution.microseconds)
        if resolution.isWholeMultiple(of: own) {
            return Array(try read(start, end, filter, resolution).values.prefix(count))
        }
        let alignedStart = start.floored(to: own)
        let native = try read(alignedStart, end + own, filter, nil)
        return (0..<count).map { slot in
            let index = Int(((start + resolution * Int64(slot)) - alignedStart).microseconds / own.microseconds)
            return index < native.values.count ? native.values[index] : nil
        }
    }

    static func distanceInKilometres(_ lat1: Double, _ lng1: Double, _ lat2: Double, _ lng2: Double) -> Double {
        let radians = Double.pi / 180
        let dLat = (lat2 - lat1) * radians
        let dLng = (lng2 - lng1) * radians
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * radians) * cos(lat2 * radians) * sin(dLng / 2) * sin(dLng / 2)
        return 6371 * 2 * atan2(a.squareRoot(), (1 - a).squareRoot())
    }

    /// Stores forecasts as beliefs of the sensor, made by the forecaster at their belief times.
    /// A forecast made again for the same moment (a job run twice, a backfill over days that meter data
    /// already had forecast) is already there: the first is kept and the others stored.
    @discardableResult
    static func store(_ forecasts: [Forecast], sensorID: SensorID, site: Site) async throws -> AppendReceipt {
        guard !forecasts.isEmpty else { return .nothing }
        let beliefs = forecasts.map { forecast in
            Belief(sensorID: sensorID, eventStart: Instant(secondsSinceEpoch: forecast.eventStart),
                   beliefTime: Instant(secondsSinceEpoch: forecast.beliefTime), sourceID: 0, value: forecast.value)
        }
        return try await site.ingest(beliefs, from: .script(name: "flexmeasures forecaster", type: .forecaster), duplicates: .skip)
    }
}
