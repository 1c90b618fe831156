import Beliefs
import Foundation
import GRDB
import Registry

/// What the dashboard shows of one asset: its latest measured power, when data last came (and whether that
/// is too long ago), its state of charge where it has one, and its next scheduled action.
public struct AssetStatus: Sendable {
    public let asset: Asset
    /// The newest measurement (belief horizon <= 0) in the last two days: its event start and value (MW,
    /// consumption positive).
    public let latestPower: (start: Instant, value: Double)?
    /// When the newest data of the sensor arrived (any post, upload or restore), if the site has seen any.
    public let lastReceived: Instant?
    /// No data for three of the asset's resolutions (at least an hour), or none ever.
    public let isStale: Bool
    /// The state of charge last reported (UDI event or asset field), MWh, with its time.
    public let stateOfCharge: (value: Double, at: Instant?)?
    /// The first planned slot from now on with power other than zero: start and MW (consumption positive).
    public let nextAction: (start: Instant, value: Double)?
}

/// The site at a glance, for one user (their own assets, all for an admin).
public struct SiteOverview: Sendable {
    public let assets: [AssetStatus]
    public let at: Instant
    /// Of the assets' latest measurements within the last hour: consumption and production (MW, both >= 0).
    public var consumption: Double {
        assets.compactMap { status in status.latestPower.flatMap { isRecent($0.start, status) ? max(0, $0.value) : nil } }.reduce(0, +)
    }
    public var production: Double {
        assets.compactMap { status in status.latestPower.flatMap { isRecent($0.start, status) ? max(0, -$0.value) : nil } }.reduce(0, +)
    }
    public var staleCount: Int { assets.filter(\.isStale).count }

    private func isRecent(_ start: Instant, _ status: AssetStatus) -> Bool {
        at - (start + status.asset.fields.eventResolution) <= .hours(1)
    }
}

extension Site {
    /// The dashboard's figures of every asset `user` may see, read in one snapshot.
    public func overview(for user: User) async throws -> SiteOverview {
        try await overview(of: try self.assets(for: user))
    }

    /// The figures of one asset, as the dashboard's tile shows them.
    public func status(of asset: Asset) async throws -> AssetStatus {
        try await overview(of: [asset]).assets[0]
    }

    private func overview(of assets: [Asset]) async throws -> SiteOverview {
        let now = clock()
        let horizon = settings.planningHorizon
        return try await runBlocking { [store] in
            try store.database.pool.read { db in
                let schedulerSources = Set(try Int64.fetchAll(
                    db, sql: "SELECT id FROM data_source WHERE type = ?", arguments: [SourceType.scheduler.rawValue]
                ).map { SourceID($0) })
                let received = try AlertEvaluation.activity("sensor", in: db)
                return SiteOverview(assets: try assets.map { asset in
                    let resolution = asset.fields.eventResolution
                    // One read for both: the last two days' measurements and the plan from this slot on.
                    let planStart = now.floored(to: resolution)
                    let beliefs = try store.beliefs(sensorID: asset.id, from: now - .days(2), to: now + Swift.max(horizon, resolution), in: db)
                    let measured = beliefs.filter {
                        $0.eventStart < now + resolution && $0.horizon(eventResolution: resolution) <= .zero && !schedulerSources.contains($0.sourceID)
                    }
                    let latest = measured.max { ($0.eventStart, $0.beliefTime) < ($1.eventStart, $1.beliefTime) }
                    // The store answers sorted by event start, and a filter keeps that order.
                    let planned = BeliefSelection.mostRecent(
                        sortedByEventStart: beliefs.filter { $0.eventStart >= planStart && schedulerSources.contains($0.sourceID) },
                        eventResolution: resolution, filter: .all
                    )
                    let next = planned.first { abs($0.value) > 1e-9 && $0.eventStart + resolution > now }
                    let lastReceived = received[asset.id]
                    let (threeResolutions, overflow) = resolution.microseconds.multipliedReportingOverflow(by: 3)
                    let staleAfter = Swift.max(.hours(1), Timespan(microseconds: overflow ? .max : threeResolutions))
                    let soc = asset.fields.socInMWh.map { (value: $0, at: asset.fields.socDatetime) }
                    return AssetStatus(
                        asset: asset,
                        latestPower: latest.map { ($0.eventStart, $0.value) },
                        lastReceived: lastReceived,
                        isStale: lastReceived.map { now - $0 > staleAfter } ?? true,
                        stateOfCharge: soc,
                        nextAction: next.map { ($0.eventStart, $0.value) }
                    )
                }, at: now)
            }
        }
    }
}

extension Site {
    /// The value of the event of `sensorID` that holds `clock()` (the current price, the current weather), or
    /// the newest before it within two days: most recent belief per event, any source.
    public func currentValue(of sensorID: SensorID, resolution: Timespan) throws -> (start: Instant, value: Double)? {
        let now = clock()
        let selected = try store.mostRecentBeliefs(sensorID: sensorID, from: now - .days(2), to: now + resolution)
        return selected.last { $0.eventStart <= now }.map { ($0.eventStart, $0.value) }
    }
}
