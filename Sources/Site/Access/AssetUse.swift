/// What a user asks to do with an asset: the rules, and what a refusal says, differ by use.
public enum AssetUse: Sendable, Hashable {
    /// Post or read its data in a message that names it by `connection` (an entity address, as written).
    case data(connection: String)
    /// Send it UDI events or take its device messages: batteries and charge points only.
    case control
    /// See it, or its chart.
    case view
    /// Change its fields.
    case change
    /// Delete it: admins only.
    case delete
}

/// What a user asks to do with a user account.
public enum UserUse: Sendable, Hashable {
    /// See it: one's own, or any for an admin.
    case view
    /// Change it: one's own, or any for an admin (`AccountField.restricted` aside).
    case change
    /// Reset its password: admins only.
    case resetPassword
}

/// The fields of a user account a request may change, under the reference's names.
public enum AccountField: String, Sendable, Hashable, CaseIterable {
    case email, username, active, timezone
    case roles = "flexmeasures_roles"

    /// Changed only by an admin, and never on their own account (no admin locks themselves out).
    public static let restricted: Set<AccountField> = [.active, .email, .roles]
}
