import Beliefs
import Hummingbird
import Registry

/// `GET/POST /api/v2_0/assets`, `GET/PATCH/DELETE /api/v2_0/asset/<id>`.
enum AssetRoutes {
    static func routes(_ services: APIServices) -> [APIRoute] {
        let prefix = APIVersion.v2_0.prefix
        return [
            APIRoute(.get, "\(prefix)/assets") { request, _ in
                let user = try services.authenticate(request)
                let query = JSONBody.queryMessage(request.uri)
                var ownerID: Int64? = user.isAdmin ? nil : user.id
                if let requested = query["owner_id"] {
                    guard let number = requested.int64Value else {
                        throw APIError.invalidRequest("owner_id must be a user id")
                    }
                    ownerID = number
                    guard user.isAdmin || ownerID == user.id else {
                        throw APIError.invalidSender("You cannot be authorized for this content or functionality: only admins list other users' assets.")
                    }
                }
                return JSONBody.response(.array(try services.registry.assets(ownerID: ownerID).map(AssetResource.json)))
            },
            APIRoute(.post, "\(prefix)/assets") { request, _ in
                let user = try services.authenticate(request)
                guard user.isAdmin else {
                    throw APIError.invalidSender("You cannot be authorized for this content or functionality: only admins create assets.")
                }
                let body = try await JSONBody.value(of: request, limit: 64 * 1024)
                let fields = try AssetResource.fields(from: body, onto: nil)
                do {
                    let asset = try services.registry.addAsset(fields)
                    return JSONBody.response(AssetResource.json(asset), status: .created)
                } catch let error as RegistryError {
                    throw APIError(error, entity: "asset")
                }
            },
            APIRoute(.get, "\(prefix)/asset/:id") { request, context in
                let (_, asset) = try accessibleAsset(request, context, services)
                return JSONBody.response(AssetResource.json(asset))
            },
            APIRoute(.patch, "\(prefix)/asset/:id") { request, context in
                let (user, asset) = try accessibleAsset(request, context, services)
                let body = try await JSONBody.value(of: request, limit: 64 * 1024)
                let fields = try AssetResource.fields(from: body, onto: asset.fields)
                guard user.isAdmin || fields.ownerID == asset.fields.ownerID else {
                    throw APIError.invalidSender("You cannot be authorized for this content or functionality: only admins give an asset to another owner.")
                }
                do {
                    return JSONBody.response(AssetResource.json(try services.registry.updateAsset(id: asset.id, to: fields)))
                } catch let error as RegistryError {
                    throw APIError(error, entity: "asset")
                }
            },
            APIRoute(.delete, "\(prefix)/asset/:id") { request, context in
                let user = try services.authenticate(request)
                let id = try RESTParameters.id(context)
                guard try services.registry.asset(id: id) != nil else { throw APIError.notFound("Asset \(id) not found") }
                guard user.isAdmin else {
                    throw APIError.invalidSender("You cannot be authorized for this content or functionality: only admins delete assets.")
                }
                try services.registry.deleteAsset(id: id)
                return Response(status: .noContent)
            },
        ]
    }

    /// The asset of the path, if the user owns it or is an admin (404 unknown, 403 someone else's).
    static func accessibleAsset(_ request: Request, _ context: APIContext, _ services: APIServices) throws -> (User, Asset) {
        let user = try services.authenticate(request)
        let id = try RESTParameters.id(context)
        guard let asset = try services.registry.asset(id: id) else { throw APIError.notFound("Asset \(id) not found") }
        guard user.isAdmin || asset.fields.ownerID == user.id else {
            throw APIError.invalidSender("You cannot be authorized for this content or functionality: asset \(id) is not yours.")
        }
        return (user, asset)
    }
}

/// Path parameters of the REST routes.
enum RESTParameters {
    static func id(_ context: APIContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text) else {
            throw APIError.requiredInfoMissing("the path must end in a numeric id")
        }
        return id
    }
}
