import Hummingbird
import Registry
import Site

/// `getConnection`: the entity addresses and names of the user's assets, newest first.
enum GetConnection {
    static func route(_ version: APIVersion, _ services: APIServices) -> APIRoute {
        let endpoint = MessageEndpoint(name: "getConnection", roles: ServiceAccess.dataRoles)
        return APIRoute(.get, "\(version.prefix)/\(endpoint.name)") { request, _ in
            try await endpoint.handle(request, services: services) { user, _ in
                let assets = try services.site.assets(for: user).reversed()
                let authority = services.settings.namingAuthority(forHost: request.head.authority)
                return JSONBody.response(.object([
                    "type": .string(endpoint.responseType),
                    "connections": .array(assets.map { .string(Connections.address(of: $0, authority: authority)) }),
                    "names": .array(assets.map { .string($0.fields.name) }),
                    "status": .string("PROCESSED"),
                    "message": .string("Request has been processed."),
                ]))
            }
        }
    }
}
