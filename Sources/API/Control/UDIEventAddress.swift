import Registry
import Site

/// A UDI event's address: `ea1.<YYYY-MM>.<authority>:<owner id>:<asset id>:<event id>:<event type>`.
struct UDIEventAddress {
    let ownerID: Int64
    let assetID: Int64
    let eventID: Int64
    let eventType: String
    /// The address as the client wrote it.
    let text: String

    /// The address of the message's `event`; INVALID_DOMAIN when it names none.
    init(of message: USEFMessage) throws {
        guard let text = message.value("event", "events")?.stringValue else {
            throw APIError.invalidDomain("No event identifier sent: add \"event\": \"ea1.<YYYY-MM>.<naming authority>:<owner id>:<asset id>:<event id>:<event type>\"")
        }
        try self.init(text)
    }

    /// The event types an API version knows: soc, and from v1.3 soc-with-targets.
    static func kinds(in version: APIVersion) -> [UDIEvent.Kind] {
        version.isAtLeast(.v1_3) ? [.soc, .socWithTargets] : [.soc]
    }

    init(_ text: String) throws {
        let parts: [String]
        do {
            parts = try EntityAddress(parsing: text, localParts: 4...4).localParts
        } catch {
            throw APIError.invalidDomain("\(error.description); UDI events are named ea1.<YYYY-MM>.<naming authority>:<owner id>:<asset id>:<event id>:<event type>")
        }
        guard let owner = Int64(parts[0]), let asset = Int64(parts[1]), let event = Int64(parts[2]) else {
            throw APIError.invalidDomain("'\(text)': owner, asset and event ids must be whole numbers")
        }
        ownerID = owner
        assetID = asset
        eventID = event
        eventType = parts[3]
        self.text = text
    }

    /// The event's asset, if the site lets the user control it.
    func asset(for user: User, services: APIServices) throws -> Asset {
        try services.site.asset(assetID, ownedBy: ownerID, for: user, to: .control)
    }
}
