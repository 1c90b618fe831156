import BeliefStore
import Beliefs
import GRDB
import Hummingbird
import Jobs
import Registry
import Site

/// `postUdiEvent`: a battery's or charge point's state of charge (and targets); from v1.3 on it queues
/// the scheduling job whose plan getDeviceMessage hands out.
enum UDIEventPost {
    static func route(_ version: APIVersion, _ services: APIServices) -> APIRoute {
        let endpoint = MessageEndpoint(name: "postUdiEvent", roles: ServiceAccess.controlRoles)
        return APIRoute(.post, "\(version.prefix)/\(endpoint.name)") { request, _ in
            try await endpoint.handle(request, services: services) { user, message in
                let event = try validatedEvent(message, for: user, version: version, services: services)
                let queuesJob = version.isAtLeast(.v1_3)
                let horizon = services.site.settings.planningHorizon
                let ttl = services.site.settings.planningTTL
                let now = services.clock()
                do {
                    try await services.store.write { db in
                        var recorded = event
                        if queuesJob {
                            recorded.jobID = try services.jobs.enqueue(
                                queue: .scheduling, kind: SchedulingJob.kind,
                                payload: try SchedulingJob.payload(assetID: event.assetID, eventID: event.eventID, horizon: horizon),
                                timeToLive: ttl, in: db
                            )
                        }
                        try Registry.record(recorded, createdAt: now, in: db)
                    }
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    throw APIError.outdatedUDIEvent("UDI event \(event.eventID) of asset \(event.assetID) was posted before")
                }
                return endpoint.processed()
            }
        }
    }

    static func validatedEvent(_ message: USEFMessage, for user: User, version: APIVersion, services: APIServices) throws -> UDIEvent {
        let address = try UDIEventAddress(of: message)
        let kinds = UDIEventAddress.kinds(in: version)
        guard let kind = UDIEvent.Kind(rawValue: address.eventType), kinds.contains(kind) else {
            throw APIError.unrecognizedUDIEvent("The requested UDI event type \(address.eventType) is not known; API \(version.number) knows \(kinds.map(\.rawValue).joined(separator: ", "))")
        }
        let asset = try address.asset(for: user, services: services)
        if let latest = asset.fields.socUDIEventID, address.eventID <= latest {
            throw APIError.outdatedUDIEvent("The requested UDI event (id = \(address.eventID)) is equal or before the latest existing one (id = \(latest)).")
        }
        let unit = message.fields["unit"]?.stringValue
        let perUnit: Double
        switch unit {
        case "MWh": perUnit = 1
        case "kWh": perUnit = 0.001
        default: throw APIError.invalidUnit("State of charge should be given in kWh or MWh, not \(unit.map { "'\($0)'" } ?? "without a unit")")
        }
        guard let value = message.fields["value"]?.numberValue, value.isFinite else {
            throw APIError.ptusIncomplete("Missing values: \"value\" must be the state of charge, a number")
        }
        guard let datetime = try message.instant("datetime") else {
            throw APIError.invalidDatetime("Missing datetime parameter: the moment of the state of charge, ISO 8601 with an offset")
        }
        if let last = asset.fields.socDatetime {
            let tooEarly = version == .v1_2 ? datetime <= last : datetime < last
            if tooEarly {
                throw APIError.invalidDatetime("The date of the requested UDI event (\(datetime.iso8601)) is earlier than the latest known date (\(last.iso8601)).")
            }
        }
        var targets: [UDIEvent.Target] = []
        if kind == .socWithTargets {
            guard let list = message.value("target", "targets")?.arrayValue, !list.isEmpty else {
                throw APIError.incompleteUDIEvent("The requested UDI event (id = \(address.eventID), type = soc-with-targets) is incomplete: add \"targets\": [{\"value\": ..., \"datetime\": ...}]")
            }
            let end = datetime + services.site.settings.planningHorizon
            for (index, item) in list.enumerated() {
                let target = USEFMessage(item.objectValue ?? [:])
                guard let soc = target.fields["value"]?.numberValue, soc.isFinite else {
                    throw APIError.ptusIncomplete("Missing values: target \(index) needs a \"value\"")
                }
                guard let when = try target.instant("datetime") else {
                    throw APIError.invalidDatetime("target \(index) needs a \"datetime\" (ISO 8601 with an offset)")
                }
                guard when <= end else {
                    throw APIError.invalidDatetime("Target datetime exceeds \(end.iso8601). Maximum scheduling horizon is \(services.site.settings.planningHorizon.iso8601).")
                }
                targets.append(UDIEvent.Target(datetime: when, socInMWh: soc * perUnit))
            }
        }
        return UDIEvent(
            assetID: asset.id, eventID: address.eventID, kind: kind, datetime: datetime, socInMWh: value * perUnit,
            targets: targets, jobID: nil
        )
    }
}
