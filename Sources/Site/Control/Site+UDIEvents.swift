import Beliefs
import GRDB
import Jobs
import Registry

extension Site {
    /// Checks a reported UDI event against the asset's latest one and the planning horizon, and records it
    /// (setting the asset's state of charge) with, for `.byJob`, the scheduling job that plans the
    /// device, in one transaction. Throws `UDIEventError`.
    public func postUDIEvent(
        _ report: UDIEventReport, datetimes rule: UDIEventReport.DatetimeRule, planning: DevicePlanning
    ) async throws {
        let event = try validated(report, rule: rule)
        // A plan made on request is nobody else's: behind a shared connection every device's part must come
        // from one stored joint plan, so even v1.2 events are planned by a job there.
        let jointly = try gridConnectionPlansJointly(report.asset)
        let planning = planning == .onRequest && jointly ? DevicePlanning.byJob : planning
        let (jobs, horizon, ttl, now) = (self.jobs, settings.planningHorizon, settings.planningTTL, clock())
        do {
            try await store.write { db in
                var recorded = event
                if planning == .byJob {
                    recorded.jobID = try jobs.enqueue(
                        queue: .scheduling, kind: SchedulingJob.kind,
                        payload: try SchedulingJob.payload(assetID: event.assetID, eventID: event.eventID, horizon: horizon),
                        timeToLive: ttl, in: db
                    )
                }
                try Registry.record(recorded, createdAt: now, in: db)
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            throw UDIEventError(.outdated, "UDI event \(event.eventID) of asset \(event.assetID) was posted before")
        }
    }

    /// Whether the asset is planned together with the site's other devices (a grid connection is set).
    func gridConnectionPlansJointly(_ asset: Asset) throws -> Bool {
        try AssetType.storageTypeNames.contains(asset.fields.assetTypeName) && registry.gridConnection() != nil
    }

    /// The event as the site records it, in MWh, or why it cannot be.
    func validated(_ report: UDIEventReport, rule: UDIEventReport.DatetimeRule) throws(UDIEventError) -> UDIEvent {
        let asset = report.asset
        if let latest = asset.fields.socUDIEventID, report.eventID <= latest {
            throw UDIEventError(.outdated, "The requested UDI event (id = \(report.eventID)) is equal or before the latest existing one (id = \(latest)).")
        }
        let perUnit: Double
        switch report.unit {
        case "MWh": perUnit = 1
        case "kWh": perUnit = 0.001
        default: throw UDIEventError(.unit, "State of charge should be given in kWh or MWh, not \(report.unit.map { "'\($0)'" } ?? "without a unit")")
        }
        // Whatever the front end parsed them with, the times reach plan arithmetic: keep them where it holds.
        for datetime in [report.datetime] + report.targets.map(\.datetime) where !RequestBounds.datetimes.contains(datetime) {
            throw UDIEventError(.datetime, "\(datetime.iso8601) is outside the datetimes the site takes (1900 to 9999)")
        }
        let slots = settings.planningHorizon.microseconds / asset.fields.eventResolution.microseconds
        guard Int64(report.targets.count) <= Swift.max(1, slots) else {
            throw UDIEventError(.tooManyTargets, "The event has \(report.targets.count) targets; a plan over \(settings.planningHorizon.iso8601) at \(asset.fields.eventResolution.iso8601) has \(slots) slots, at most one target each")
        }
        if let last = asset.fields.socDatetime {
            let tooEarly = rule == .later ? report.datetime <= last : report.datetime < last
            if tooEarly {
                throw UDIEventError(.datetime, "The date of the requested UDI event (\(report.datetime.iso8601)) is earlier than the latest known date (\(last.iso8601)).")
            }
        }
        let horizon = settings.planningHorizon
        let end = report.datetime + horizon
        var targets: [UDIEvent.Target] = []
        for target in report.kind == .socWithTargets ? report.targets : [] {
            guard target.datetime <= end else {
                throw UDIEventError(.datetime, "Target datetime exceeds \(end.iso8601). Maximum scheduling horizon is \(horizon.iso8601).")
            }
            targets.append(UDIEvent.Target(datetime: target.datetime, socInMWh: target.value * perUnit))
        }
        return UDIEvent(
            assetID: asset.id, eventID: report.eventID, kind: report.kind, datetime: report.datetime, socInMWh: report.value * perUnit,
            targets: targets, jobID: nil
        )
    }
}
