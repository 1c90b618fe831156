import Beliefs
import Registry
import Site

/// Finds the assets that a message's connections name, as the requesting user may see them.
struct Connections {
    let services: APIServices
    let user: User

    /// The asset a connection names: INVALID_DOMAIN for what is not an address; whether the user may use
    /// its data is the site's to say.
    func asset(_ connection: String) throws -> Asset {
        let address = try AssetAddress.parse(connection)
        return try services.site.asset(address.assetID, ownedBy: address.ownerID, for: user, to: .data(connection: connection))
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
