import Beliefs
import Registry

/// Finds the assets that a message's connections name, as the requesting user may see them.
struct Connections {
    let services: APIServices
    let user: User

    /// The asset a connection names: INVALID_DOMAIN for what is not an address, UNRECOGNIZED_ASSET for an
    /// asset that does not exist, UNRECOGNIZED_CONNECTION_GROUP for someone else's (unless admin).
    func asset(_ connection: String) throws -> Asset {
        let address = try AssetAddress.parse(connection)
        guard let asset = try services.registry.asset(id: address.assetID),
              address.ownerID == nil || address.ownerID == asset.fields.ownerID else {
            throw APIError.unrecognizedAsset("Cannot identify asset: no asset \(address.assetID)\(address.ownerID.map { " of owner \($0)" } ?? "") for connection \(connection)")
        }
        guard user.isAdmin || asset.fields.ownerID == user.id else {
            throw APIError.unrecognizedConnectionGroup("One or more connections in your request were not found in your account: \(connection)")
        }
        return asset
    }

    /// The connections a group names; UNRECOGNIZED_CONNECTION_GROUP when it names none.
    static func named(in group: USEFMessage) throws -> [String] {
        guard let connections = try group.strings("connection", "connections"), !connections.isEmpty else {
            throw APIError.unrecognizedConnectionGroup("the message names no connection: add \"connection\" or \"connections\" with entity addresses such as ea1.2021-01.io.flexmeasures:<owner id>:<asset id>")
        }
        return connections
    }

    /// The entity address the appliance gives an asset under a naming authority.
    static func address(of asset: Asset, authority: NamingAuthority) -> String {
        "\(authority.addressPrefix):\(asset.fields.ownerID):\(asset.id)"
    }
}
