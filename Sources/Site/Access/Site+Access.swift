import Beliefs
import Registry

/// Who may use which asset and account: admins everything; everyone else their own assets and account,
/// and nothing that only admins do. Every front end asks here; a refusal is an `AccessError`.
extension Site {
    /// The asset `id` if `user` may use it as `use` says; `ownerID`, when the request names one, must be
    /// the asset's owner.
    public func asset(_ id: SensorID, ownedBy ownerID: Int64? = nil, for user: User, to use: AssetUse) throws -> Asset {
        guard let asset = try registry.asset(id: id), ownerID == nil || ownerID == asset.fields.ownerID else {
            throw AccessError(.unknownAsset(use), Self.unknownAsset(id, ownedBy: ownerID, use: use))
        }
        try permit(asset, ownedBy: ownerID, for: user, to: use)
        return asset
    }

    /// The asset called `name` if `user` may use it as `use` says.
    public func asset(named name: String, for user: User, to use: AssetUse) throws -> Asset {
        guard let asset = try registry.asset(named: name) else {
            throw AccessError(.unknownAsset(use), "Asset \(JSONWriter.string(.string(name))) not found")
        }
        try permit(asset, ownedBy: nil, for: user, to: use)
        return asset
    }

    /// The assets `user` may see: all for an admin, their own otherwise; `ownerID` keeps one owner's, which
    /// only admins may ask of someone else.
    public func assets(for user: User, ownedBy ownerID: Int64? = nil) throws -> [Asset] {
        if let ownerID, ownerID != user.id { try requireAdmin(user, to: .listOtherUsersAssets) }
        return try registry.assets(ownerID: ownerID ?? (user.isAdmin ? nil : user.id))
    }

    /// Refuses a change of `asset` to `fields` that gives it to another owner, unless `user` is an admin.
    public func checkChange(of asset: Asset, to fields: AssetFields, by user: User) throws {
        if fields.ownerID != asset.fields.ownerID { try requireAdmin(user, to: .giveAssetToAnotherOwner) }
    }

    /// The account `id` if `user` may use it as `use` says.
    public func user(_ id: Int64, for user: User, to use: UserUse) throws -> User {
        guard let target = try registry.user(id: id) else {
            throw AccessError(.unknownUser, "User \(id) not found")
        }
        switch use {
        case .view, .change:
            guard user.isAdmin || user.id == id else {
                throw AccessError(.notYou, "You cannot be authorized for this content or functionality: user \(id) is not you.")
            }
        case .resetPassword:
            try requireAdmin(user, to: .resetPasswords)
        }
        return target
    }

    /// Refuses a change of `target` touching `fields` that only another admin may make.
    public func checkChange(of target: User, touching fields: Set<AccountField>, by user: User) throws {
        guard fields.isDisjoint(with: AccountField.restricted) || (user.isAdmin && user.id != target.id) else {
            let names = AccountField.restricted.map(\.rawValue).sorted().joined(separator: ", ")
            throw AccessError(.restrictedField, "You cannot be authorized for this content or functionality: \(names) of your own account are changed by another administrator.")
        }
    }

    /// Refuses `user` unless an admin.
    public func requireAdmin(_ user: User, to action: AdminAction) throws {
        guard user.isAdmin else { throw AccessError(.adminOnly(action), action.refusal) }
    }

    private func permit(_ asset: Asset, ownedBy ownerID: Int64?, for user: User, to use: AssetUse) throws {
        if use == .delete {
            try requireAdmin(user, to: .deleteAssets)
            return
        }
        guard user.isAdmin || asset.fields.ownerID == user.id else {
            throw AccessError(.notYours(use), Self.notYours(asset.id, ownedBy: ownerID, use: use))
        }
        if use == .control, !AssetType.storageTypeNames.contains(asset.fields.assetTypeName) {
            throw AccessError(.notControllable, "UDI events apply to batteries and charge points; asset \(asset.id) is a \(asset.fields.assetTypeName)")
        }
    }

    private static func unknownAsset(_ id: SensorID, ownedBy ownerID: Int64?, use: AssetUse) -> String {
        switch use {
        case let .data(connection): return "Cannot identify asset: no \(named(id, ownedBy: ownerID)) for connection \(connection)"
        case .control: return notInAccount(named(id, ownedBy: ownerID))
        case .view, .change, .delete: return "Asset \(id) not found"
        }
    }

    private static func notYours(_ id: SensorID, ownedBy ownerID: Int64?, use: AssetUse) -> String {
        switch use {
        case let .data(connection): return notInAccount(connection)
        case .control: return notInAccount(named(id, ownedBy: ownerID))
        case .view, .change, .delete: return "You cannot be authorized for this content or functionality: asset \(id) is not yours."
        }
    }

    private static func named(_ id: SensorID, ownedBy ownerID: Int64?) -> String {
        "asset \(id)\(ownerID.map { " of owner \($0)" } ?? "")"
    }

    private static func notInAccount(_ named: String) -> String {
        "One or more connections in your request were not found in your account: \(named)"
    }
}
