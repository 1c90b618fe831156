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

    /// A finished job's result: the plan, as getDeviceMessage reads it back. A joint plan of the site
    /// (a site connection was set) also holds every device's part under `plans`, keyed by asset id, with
    /// the same start and resolution; results written before joint planning lack it and stay readable.
    struct Result: Codable, Sendable {
        let start: String
        let resolution: String
        let values: [Double]
        let plans: [String: [Double]]?
    }

    public static func payload(assetID: SensorID, eventID: Int64, horizon: Timespan) throws -> String {
        try JobCoding.encode(Payload(assetID: assetID, eventID: eventID, horizon: horizon.iso8601))
    }

    /// The job handler: plans the event named by the payload (with every device behind the site
    /// connection, when one is set), stores the plans, returns them as JSON.
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
        let sitePlan = try await runBlocking { try SitePlanner.plan(event: event, asset: asset, horizon: horizon, site: site) }
        // Every device's part, and the other devices' latest events pointing at this job's result, in one
        // transaction: a failed job leaves no device with a plan its event does not point at.
        let madeAt = site.clock()
        let beliefs = sitePlan.members.flatMap { member in
            schedulerBeliefs(of: sitePlan.plan(of: member.asset.id), sensorID: member.asset.id, madeAt: madeAt)
        }
        let others = sitePlan.members.filter { $0.asset.id != asset.id }.map { (assetID: $0.asset.id, eventID: $0.event.eventID) }
        let jobID = job.id
        try await site.ingest(beliefs, from: schedulerOrigin) { db in
            for other in others {
                try Registry.adoptSchedulingJob(jobID, forEventOf: other.assetID, eventID: other.eventID, in: db)
            }
        }
        let own = sitePlan.plan(of: asset.id)
        let plans = sitePlan.isJoint
            ? Dictionary(uniqueKeysWithValues: sitePlan.members.map { (String($0.asset.id), sitePlan.values[$0.asset.id] ?? []) })
            : nil
        return try JobCoding.encode(Result(start: own.start.iso8601, resolution: own.resolution.iso8601, values: own.values, plans: plans))
    }

    /// Reads a finished job's result back: the plan of `assetID` (the job's own asset when nil or when
    /// the result holds one plan only); nil when the result has no part for that asset.
    public static func plan(fromResult text: String, assetID: SensorID? = nil) -> Plan? {
        guard let result = try? JobCoding.decode(Result.self, from: text, what: "the result"),
              let start = try? Instant.parseISO8601(result.start),
              let resolution = try? Timespan.parseISO8601(result.resolution), resolution > .zero else { return nil }
        guard let assetID, let plans = result.plans else {
            return Plan(start: start, resolution: resolution, values: result.values)
        }
        return plans[String(assetID)].map { Plan(start: start, resolution: resolution, values: $0) }
    }

    /// Plans one device from its event, with every device behind the site connection when one is set;
    /// returns that device's part and stores nothing (v1.2 plans on request with it).
    public static func plan(event: UDIEvent, asset: Asset, horizon: Timespan, site: Site) throws -> Plan {
        try SitePlanner.plan(event: event, asset: asset, horizon: horizon, site: site).plan(of: asset.id)
    }

    /// The scheduler, as the source of the plans it stores.
    static let schedulerOrigin = BeliefOrigin.script(name: "flexmeasures scheduler", type: .scheduler)

    /// A plan as beliefs of a sensor, made at `madeAt` by the scheduler.
    static func schedulerBeliefs(of plan: Plan, sensorID: SensorID, madeAt: Instant) -> [Belief] {
        plan.values.enumerated().map { slot, value in
            Belief(sensorID: sensorID, eventStart: plan.start + plan.resolution * Int64(slot), beliefTime: madeAt, sourceID: 0, value: value)
        }
    }
}
