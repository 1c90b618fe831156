import Beliefs
import Hummingbird
import Registry
import Site

/// `postUdiEvent`: a battery's or charge point's state of charge (and targets); from v1.3 on the site
/// queues the scheduling job whose plan getDeviceMessage hands out.
enum UDIEventPost {
    static func route(_ version: APIVersion, _ services: APIServices) -> APIRoute {
        let endpoint = MessageEndpoint(name: "postUdiEvent", roles: ServiceAccess.controlRoles)
        return APIRoute(.post, "\(version.prefix)/\(endpoint.name)") { request, _ in
            try await endpoint.handle(request, services: services) { user, message in
                let report = try report(in: message, for: user, version: version, services: services)
                try await services.site.postUDIEvent(report, datetimes: version.udiEventDatetimes, planning: version.devicePlanning)
                return endpoint.processed()
            }
        }
    }

    /// The event the message reports, read but not yet checked against the asset's state.
    static func report(in message: USEFMessage, for user: User, version: APIVersion, services: APIServices) throws -> UDIEventReport {
        let address = try UDIEventAddress(of: message)
        let kinds = UDIEventAddress.kinds(in: version)
        guard let kind = UDIEvent.Kind(rawValue: address.eventType), kinds.contains(kind) else {
            throw APIError.unrecognizedUDIEvent("The requested UDI event type \(address.eventType) is not known; API \(version.number) knows \(kinds.map(\.rawValue).joined(separator: ", "))")
        }
        let asset = try address.asset(for: user, services: services)
        guard let value = message.fields["value"]?.numberValue, value.isFinite else {
            throw APIError.ptusIncomplete("Missing values: \"value\" must be the state of charge, a number")
        }
        guard let datetime = try message.instant("datetime") else {
            throw APIError.invalidDatetime("Missing datetime parameter: the moment of the state of charge, ISO 8601 with an offset")
        }
        var targets: [UDIEventReport.Target] = []
        if kind == .socWithTargets {
            guard let list = message.value("target", "targets")?.arrayValue, !list.isEmpty else {
                throw APIError.incompleteUDIEvent("The requested UDI event (id = \(address.eventID), type = soc-with-targets) is incomplete: add \"targets\": [{\"value\": ..., \"datetime\": ...}]")
            }
            targets = try list.enumerated().map { index, item in
                let target = USEFMessage(item.objectValue ?? [:])
                guard let soc = target.fields["value"]?.numberValue, soc.isFinite else {
                    throw APIError.ptusIncomplete("Missing values: target \(index) needs a \"value\"")
                }
                guard let when = try target.instant("datetime") else {
                    throw APIError.invalidDatetime("target \(index) needs a \"datetime\" (ISO 8601 with an offset)")
                }
                return UDIEventReport.Target(datetime: when, value: soc)
            }
        }
        return UDIEventReport(
            asset: asset, eventID: address.eventID, kind: kind, unit: message.fields["unit"]?.stringValue, value: value,
            datetime: datetime, targets: targets
        )
    }
}
