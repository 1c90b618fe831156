/// A refusal of the site's, whatever the front end: why (`reason`, for the front end to map to its own
/// codes) and what to fix (`description`, the message for the user). Nothing of the refused request was
/// stored. Each operation has its own reasons (`PostError`, `UDIEventError`, ...).
public struct SiteError<Reason: Sendable & Hashable>: Error, Sendable, Hashable, CustomStringConvertible {
    public let reason: Reason
    public let description: String

    init(_ reason: Reason, _ description: String) {
        self.reason = reason
        self.description = description
    }
}

/// Any refusal of the site, for front ends that show every refusal the same way (the console's error page).
public protocol SiteRefusal: Error, CustomStringConvertible {}

extension SiteError: SiteRefusal {}
