import Beliefs
import Jobs
import Registry

extension Site {
    /// The plan of a battery or charge point over the planning horizon from its latest UDI event (from now
    /// when it has none): the scheduler's most recent beliefs, shown once the event's job has finished.
    public func controlPlan(of asset: Asset) async throws -> ControlPlan {
        let resolution = asset.fields.eventResolution
        let now = clock()
        let event = try asset.fields.socUDIEventID.flatMap { try registry.udiEvent(assetID: asset.id, eventID: $0) }
        var found: Job?
        if let id = event?.jobID { found = try await jobs.job(id: id) }
        let job = found
        let start = (event?.datetime ?? now).floored(to: resolution)
        let end = start + settings.planningHorizon
        let showsPlan = event?.jobID == nil || job?.status == .finished
        return try await runBlocking { [self] in
            let schedulers = Set(try registry.dataSources().filter { $0.type == .scheduler }.map(\.id))
            let planned = showsPlan
                ? BeliefSelection.mostRecent(
                    try store.beliefs(sensorID: asset.id, from: start, to: end).filter { schedulers.contains($0.sourceID) },
                    eventResolution: resolution, filter: .all
                )
                : []
            let power = Dictionary(planned.map { ($0.eventStart, $0.value) }, uniquingKeysWith: { first, _ in first })
            let market = try asset.fields.marketID.flatMap { try registry.market(id: $0) }
            var prices: [Instant: Double] = [:]
            if let market {
                prices = Dictionary(
                    try store.mostRecentBeliefs(sensorID: market.id, from: start - market.eventResolution, to: end).map { ($0.eventStart, $0.value) },
                    uniquingKeysWith: { first, _ in first }
                )
            }
            let hours = Double(resolution.microseconds) / 3_600_000_000
            var soc = event?.socInMWh ?? asset.fields.socInMWh
            let slots = SlotGrid(start: start, end: end, resolution: resolution).starts.map { slot -> ControlPlan.Slot in
                let value = power[slot]
                if let value, let level = soc {
                    soc = level + (value >= 0 ? value * hours * asset.fields.chargingEfficiency : value * hours / asset.fields.dischargingEfficiency)
                } else {
                    soc = nil
                }
                return ControlPlan.Slot(
                    start: slot, plannedMW: value,
                    price: market.flatMap { Self.price(of: slot, lasting: resolution, in: prices, marketResolution: $0.eventResolution) },
                    socMWh: soc
                )
            }
            return ControlPlan(asset: asset, start: start, end: end, event: event, job: job, slots: slots, market: market)
        }
    }

    /// Starts a schedule of a battery or charge point to reach `targetMWh` at `datetime`, from its current
    /// state of charge: a soc-with-targets UDI event (the next event id, from now) posted as postUdiEvent
    /// posts it (v1.3 on: the same datetime rule, planned by the job it queues). Returns the event's id.
    /// Throws `ScheduleRequestError` for a target the asset cannot plan for, `UDIEventError` as postUdiEvent.
    @discardableResult
    public func requestSchedule(of asset: Asset, targetMWh: Double, at datetime: Instant) async throws -> Int64 {
        let fields = asset.fields
        guard let soc = fields.socInMWh else {
            throw ScheduleRequestError(.noStateOfCharge, "No state of charge of \(fields.displayName) is known yet: a gateway reports one with postUdiEvent.")
        }
        let low = fields.minSOCInMWh ?? 0
        guard targetMWh.isFinite, targetMWh >= low, fields.maxSOCInMWh.map({ targetMWh <= $0 }) ?? true else {
            let range = fields.maxSOCInMWh.map { "from \(low) to \($0) MWh" } ?? "at least \(low) MWh"
            throw ScheduleRequestError(.value, "The target must be a state of charge \(range).")
        }
        let now = clock().floored(to: fields.eventResolution)
        let from = Swift.max(now, fields.socDatetime ?? now)
        guard datetime > from else {
            throw ScheduleRequestError(.datetime, "The target must lie after \(from.iso8601), when the plan starts.")
        }
        guard datetime <= from + settings.planningHorizon else {
            throw ScheduleRequestError(.datetime, "The target must lie within the planning horizon (\(settings.planningHorizon.iso8601)), by \((from + settings.planningHorizon).iso8601).")
        }
        // One schedule at a time per device: requests cannot pile up jobs and their plans.
        if let previous = try fields.socUDIEventID.flatMap({ try registry.udiEvent(assetID: asset.id, eventID: $0) }),
           let jobID = previous.jobID, let job = try await jobs.job(id: jobID), job.status == .queued || job.status == .started {
            throw ScheduleRequestError(.busy, "The schedule asked for before (job \(jobID)) is still being made: wait for it, then ask again.")
        }
        let (eventID, overflow) = (fields.socUDIEventID ?? 0).addingReportingOverflow(1)
        guard !overflow else {
            throw ScheduleRequestError(.value, "The asset's UDI event ids are used up.")
        }
        let report = UDIEventReport(
            asset: asset, eventID: eventID, kind: .socWithTargets, unit: "MWh", value: soc, datetime: from,
            targets: [UDIEventReport.Target(datetime: datetime, value: targetMWh)]
        )
        try await postUDIEvent(report, datetimes: .notEarlier, planning: .byJob)
        return eventID
    }
}
