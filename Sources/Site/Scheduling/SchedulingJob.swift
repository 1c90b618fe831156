import BeliefStore
import Beliefs
import Foundation
import Jobs
import Registry
import Scheduling

/// Plans a battery or charge point from its UDI event: the asset's market prices over the planning
/// window (trimmed to where prices are known), the event's state of charge and targets, GLPK. The
/// plan is stored as beliefs of the asset with the scheduler as source, and returned as the job's result.
public enum SchedulingJob {
    public static let kind = "schedule-asset"

    /// Why no plan was made; the job's error, shown by getDeviceMessage after "Scheduling job failed: ".
    public struct Failure: Error, CustomStringConvertible {
        public enum Reason: Sendable { case unknownPrices, infeasible, invalid }
        public let reason: Reason
        public let description: String
    }

    /// A plan: power in MW per slot from `start`.
    public struct Plan: Sendable, Equatable {
        public let start: Instant
        public let resolution: Timespan
        public let values: [Double]
    }

    /// What a scheduling job plans: the latest UDI event of an asset, over the planning horizon.
    struct Payload: Codable, Sendable, Equatable {
        let assetID: SensorID
        let eventID: Int64
        /// An ISO 8601 duration, as FLEXMEASURES_PLANNING_HORIZON was when the event came.
        let horizon: String

        enum CodingKeys: String, CodingKey {
            case assetID = "asset_id", eventID = "event_id", horizon
        }
    }

    /// A finished job's result: the plan, as getDeviceMessage reads it back.
    struct Result: Codable, Sendable {
        let start: String
        let resolution: String
        let values: [Double]
    }

    public static func payload(assetID: SensorID, eventID: Int64, horizon: Timespan) throws -> String {
        try JobCoding.encode(Payload(assetID: assetID, eventID: eventID, horizon: horizon.iso8601))
    }

    /// The job handler: plans the event named by the payload, stores the plan, returns it as JSON.
    public static func run(_ job: Job, site: Site) async throws -> String {
        let payload = try JobCoding.decode(Payload.self, from: job.payload, what: "the payload of scheduling job \(job.id)")
        guard let horizon = try? Timespan.parseISO8601(payload.horizon), horizon > .zero else {
            throw Failure(reason: .invalid, description: "the planning horizon '\(payload.horizon)' of job \(job.id) is not a positive duration")
        }
        guard let asset = try site.registry.asset(id: payload.assetID),
              let event = try site.registry.udiEvent(assetID: asset.id, eventID: payload.eventID) else {
            throw Failure(reason: .invalid, description: "asset \(payload.assetID) or its UDI event \(payload.eventID) no longer exists")
        }
        // GLPK blocks its thread for the whole solve: keep it off the cooperative pool.
        let plan = try await runBlocking { try self.plan(event: event, asset: asset, horizon: horizon, site: site) }
        try await store(plan, asset: asset, site: site)
        return try JobCoding.encode(Result(start: plan.start.iso8601, resolution: plan.resolution.iso8601, values: plan.values))
    }

    /// Reads a finished job's result back.
    public static func plan(fromResult text: String) -> Plan? {
        guard let result = try? JobCoding.decode(Result.self, from: text, what: "the result"),
              let start = try? Instant.parseISO8601(result.start),
              let resolution = try? Timespan.parseISO8601(result.resolution), resolution > .zero else { return nil }
        return Plan(start: start, resolution: resolution, values: result.values)
    }

    /// Builds and solves the problem of one device.
    public static func plan(event: UDIEvent, asset: Asset, horizon: Timespan, site: Site) throws -> Plan {
        let resolution = asset.fields.eventResolution
        // The SOC was read at the event's datetime; plan from the start of the slot it falls in.
        let start = event.datetime.floored(to: resolution)
        let slotCount = Int(horizon.microseconds / resolution.microseconds)
        guard slotCount > 0, slotCount <= site.settings.maximumSlotsPerRequest else {
            throw Failure(reason: .invalid, description: "a plan over \(horizon.iso8601) has \(slotCount) slots of \(resolution.iso8601); plans have 1 to \(site.settings.maximumSlotsPerRequest) (FLEXMEASURES_PLANNING_HORIZON, FLEXMEASURES_MAX_SLOTS_PER_REQUEST)")
        }
        guard let marketID = asset.fields.marketID, let market = try site.registry.market(id: marketID) else {
            throw Failure(reason: .unknownPrices, description: "prices unknown for the planning window: asset \(asset.id) has no market")
        }
        // Prices from the start of the market slot that holds the first asset slot: an hourly price covers
        // a 15-minute slot that starts at :15.
        let marketStart = start.floored(to: market.eventResolution)
        let end = start + resolution * Int64(slotCount)
        let known = try site.store.mostRecentBeliefs(sensorID: market.id, from: marketStart, to: end)
        let series = Timeseries.aligning(known, start: marketStart, end: end, resolution: market.eventResolution)
        var prices: [Double] = []
        for slot in 0..<slotCount {
            let slotStart = start + resolution * Int64(slot)
            let index = Int((slotStart - series.start).microseconds / market.eventResolution.microseconds)
            guard index >= 0, index < series.values.count, let price = series.values[index] else { break }
            prices.append(price)
        }
        guard !prices.isEmpty else {
            throw Failure(reason: .unknownPrices, description: "prices unknown for the planning window from \(start.iso8601) (market \(market.name))")
        }
        // Other chargeable types (charging_station) schedule as one-way charging stations.
        let kind = DeviceKind(rawValue: asset.fields.assetTypeName) ?? .oneWayEVSE
        // A target at T is the SOC at the end of the slot that ends at T; targets past the known prices
        // cannot be planned for and are left out, as the reference does.
        let targets = event.targets.compactMap { target -> SOCTarget? in
            let slotsUntil = (target.datetime - start).microseconds
            let slot = Int((slotsUntil + resolution.microseconds - 1) / resolution.microseconds) - 1
            guard slot >= 0, slot < prices.count else { return nil }
            return SOCTarget(slot: slot, soc: target.socInMWh)
        }
        let device = StorageDevice(
            name: asset.fields.name, kind: kind, socAtStart: event.socInMWh, minSOC: asset.fields.minSOCInMWh ?? 0,
            maxSOC: asset.fields.maxSOCInMWh, capacity: asset.fields.capacityInMW, targets: targets
        )
        let problem = SchedulingProblem(slotHours: Double(resolution.microseconds) / 3.6e9, prices: prices, devices: [device])
        do {
            let schedule = try Scheduler.schedule(problem)
            return Plan(start: start, resolution: resolution, values: schedule.power[0])
        } catch {
            throw Failure(reason: error.kind == .infeasible ? .infeasible : .invalid, description: error.description)
        }
    }

    /// Stores a plan as beliefs of the asset, made now by the scheduler.
    public static func store(_ plan: Plan, asset: Asset, site: Site) async throws {
        let madeAt = site.clock()
        let beliefs = plan.values.enumerated().map { slot, value in
            Belief(sensorID: asset.id, eventStart: plan.start + plan.resolution * Int64(slot), beliefTime: madeAt, sourceID: 0, value: value)
        }
        try await site.ingest(beliefs, from: .script(name: "flexmeasures scheduler", type: .scheduler))
    }
}
