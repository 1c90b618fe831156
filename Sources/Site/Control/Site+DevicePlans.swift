import Beliefs
import Registry

extension Site {
    /// The asset's UDI event with this id if it is the asset's latest: only the latest has a plan to hand out.
    public func latestUDIEvent(_ eventID: Int64, of asset: Asset) throws -> UDIEvent? {
        guard asset.fields.socUDIEventID == eventID else { return nil }
        return try registry.udiEvent(assetID: asset.id, eventID: eventID)
    }

    /// The plan for the device of a recorded UDI event: made now (`.onRequest`, unless the event has a job),
    /// or the result of the scheduling job the event queued (`.byJob`, and every event behind the site's grid
    /// connection). Throws `DevicePlanError`.
    public func devicePlan(for event: UDIEvent, of asset: Asset, planning: DevicePlanning) async throws -> SchedulingJob.Plan {
        if planning == .onRequest && event.jobID == nil {
            guard try !gridConnectionPlansJointly(asset) else {
                throw DevicePlanError(.notPlanned, "No known schedule for this time period: the site's grid connection was set after this event; post a new UDI event to plan the device with the others behind it")
            }
            do {
                let horizon = settings.planningHorizon
                return try await runBlocking { try SchedulingJob.plan(event: event, asset: asset, horizon: horizon, site: self) }
            } catch let failure as SchedulingJob.Failure {
                if failure.reason == .unknownPrices {
                    throw DevicePlanError(.unknownPrices, "Missing prices for this time period: \(failure.description)")
                }
                throw DevicePlanError(.notPlanned, "No known schedule for this time period: \(failure.description)")
            }
        }
        guard let jobID = event.jobID, let job = try await jobs.job(id: jobID) else {
            throw DevicePlanError(.expired, "No known schedule for this time period: the event's scheduling job has expired")
        }
        switch job.status {
        case .queued:
            throw DevicePlanError(.waiting, "No known schedule for this time period. Scheduling job waiting to be processed.")
        case .started:
            throw DevicePlanError(.inProgress, "No known schedule for this time period. Scheduling job in progress.")
        case .failed:
            throw DevicePlanError(.failed, "Scheduling job failed: \(job.error ?? "no reason recorded")")
        case .finished:
            guard let plan = job.result.flatMap({ SchedulingJob.plan(fromResult: $0, assetID: event.assetID) }) else {
                throw DevicePlanError(.failed, "Scheduling job failed: its result cannot be read")
            }
            return plan
        }
    }
}

extension SchedulingJob.Plan {
    /// The first slots of the plan that cover `duration` (a partial last slot counts), or the whole plan.
    public func prefix(covering duration: Timespan?) -> SchedulingJob.Plan {
        guard let duration else { return self }
        guard duration > .zero else { return SchedulingJob.Plan(start: start, resolution: resolution, values: []) }
        // Rounded up without adding first: a duration near the largest one must not overflow.
        let step = resolution.microseconds
        let slots = duration.microseconds / step + (duration.microseconds % step == 0 ? 0 : 1)
        return SchedulingJob.Plan(start: start, resolution: resolution, values: Array(values.prefix(Int(min(slots, Int64(values.count))))))
    }
}
