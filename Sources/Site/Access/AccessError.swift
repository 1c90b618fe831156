/// Why a user may not do what they asked with an asset, a user or the site, whatever the front end.
public typealias AccessError = SiteError<AccessProblem>

public enum AccessProblem: Sendable, Hashable {
    /// No asset with that id or name (or not of the owner the request names), for that use.
    case unknownAsset(AssetUse)
    /// Someone else's asset, and the user is no admin.
    case notYours(AssetUse)
    /// UDI events and device messages are for batteries and charge points only.
    case notControllable
    /// No user with that id.
    case unknownUser
    /// Another user's account, and the user is no admin.
    case notYou
    /// Only admins may do this.
    case adminOnly(AdminAction)
    /// `AccountField.restricted` are changed by an admin, and never on their own account.
    case restrictedField
}
