import Beliefs
import Foundation
import Registry
import Site
import Testing

/// Beliefs for the portfolio, analytics and control tests, stored as a gateway or a script would.
extension InProcessConsole {
    /// Midnight (UTC) ten days ago, and its date as the pages' forms write it.
    var pastDay: Instant { now.floored(to: .days(1)) - .days(10) }
    var pastDate: String { String(pastDay.iso8601.prefix(10)) }

    /// The prosumer's own data source.
    func prosumerSource() throws -> SourceID {
        try site.registry.dataSource(ofUser: try #require(try site.registry.user(email: "prosumer@example.com"))).id
    }

    /// Measurements (MW, consumption positive) of `asset` in 15-minute slots from `start`, stated two days later.
    func measure(_ asset: String, from start: Instant, _ values: [Double], statedAt: Instant? = nil) async throws {
        let id = try id(ofAsset: asset)
        let source = try prosumerSource()
        _ = try await site.store.append(values.enumerated().map { slot, value in
            Belief(sensorID: id, eventStart: start + .minutes(Int64(15 * slot)), beliefTime: statedAt ?? start + .days(2), sourceID: source, value: value)
        })
    }

    /// Hourly prices of the assets' market (EUR/MWh) from `start`; nil leaves an hour without a price.
    func prices(from start: Instant, _ values: [Double?]) async throws {
        let source = try prosumerSource()
        _ = try await site.store.append(values.enumerated().compactMap { hour, value in
            value.map { Belief(sensorID: 1, eventStart: start + .hours(Int64(hour)), beliefTime: start - .days(1), sourceID: source, value: $0) }
        })
    }

    /// Forecasts of `asset` made `horizon` before each slot's end, by the forecaster.
    func forecast(_ asset: String, from start: Instant, horizon: Timespan, _ values: [Double?]) async throws {
        let id = try id(ofAsset: asset)
        let beliefs = values.enumerated().compactMap { slot, value -> Belief? in
            let eventStart = start + .minutes(Int64(15 * slot))
            return value.map { Belief(sensorID: id, eventStart: eventStart, beliefTime: eventStart + .minutes(15) - horizon, sourceID: 0, value: $0) }
        }
        _ = try await site.ingest(beliefs, from: .script(name: "forecaster", type: .forecaster))
    }
}
