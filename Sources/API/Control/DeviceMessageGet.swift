import Beliefs
import Hummingbird
import Registry
import Site

/// `getDeviceMessage`: the plan for the asset of a UDI event, in MW from the event's slot on. v1.2
/// plans on request; v1.3 and v2.0 answer from the job postUdiEvent queued (UNKNOWN_SCHEDULE until
/// it has finished, and with its reason when it failed).
enum DeviceMessageGet {
    static func route(_ version: APIVersion, _ services: APIServices) -> APIRoute {
        let endpoint = MessageEndpoint(name: "getDeviceMessage", roles: ServiceAccess.controlRoles)
        return APIRoute(.get, "\(version.prefix)/\(endpoint.name)") { request, _ in
            try await endpoint.handle(request, services: services) { user, message in
                let address = try UDIEventAddress(of: message)
                let asset = try address.asset(for: user, services: services)
                guard let kind = UDIEvent.Kind(rawValue: address.eventType), UDIEventAddress.kinds(in: version).contains(kind),
                      let event = try services.site.latestUDIEvent(address.eventID, of: asset) else {
                    throw APIError.unrecognizedUDIEvent("The requested UDI event (id = \(address.eventID), type = \(address.eventType)) is not known: ask for the asset's latest event (\(asset.fields.socUDIEventID.map(String.init) ?? "none posted"))")
                }
                var duration: Timespan?
                if message.fields["duration"] != nil {
                    do {
                        duration = try message.duration("duration")
                    } catch {
                        throw APIError.unprocessable("duration is not an ISO 8601 duration", fields: ["duration": ["Not a valid ISO 8601 duration such as PT6H."]])
                    }
                    guard let given = duration, given > .zero else {
                        throw APIError.unprocessable("duration must be positive", fields: ["duration": ["Must be a positive duration."]])
                    }
                }
                let plan = try await services.site.devicePlan(for: event, of: asset, planning: version.devicePlanning)
                    .prefix(covering: duration)
                return JSONBody.response(.object([
                    "type": .string(endpoint.responseType), "event": .string(address.text),
                    "values": .array(plan.values.map(JSONValue.number)),
                    "start": .string(plan.start.iso8601), "duration": .string((plan.resolution * Int64(plan.values.count)).iso8601),
                    "unit": .string("MW"), "status": .string("PROCESSED"), "message": .string("Request has been processed."),
                ]))
            }
        }
    }
}
