import Beliefs
import Hummingbird
import Registry
import Site

/// `GET/POST /api/v2_0/assets`, `GET/PATCH/DELETE /api/v2_0/asset/<id>`.
enum AssetRoutes {
    static func routes(_ services: APIServices) -> [APIRoute] {
        let prefix = APIVersion.v2_0.prefix
        return [
            APIRoute(.get, "\(prefix)/assets") { request, _ in
                let user = try services.authenticate(request)
                let query = JSONBody.queryMessage(request.uri)
                var ownerID: Int64?
                if let requested = query["owner_id"] {
                    guard let number = requested.int64Value else {
                        throw APIError.invalidRequest("owner_id must be a user id")
                    }
                    ownerID = number
                }
                return JSONBody.response(.array(try services.site.assets(for: user, ownedBy: ownerID).map(AssetResource.json)))
            },
            APIRoute(.post, "\(prefix)/assets") { request, _ in
                try services.site.requireAdmin(try services.authenticate(request), to: .createAssets)
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
                let (_, asset) = try accessibleAsset(request, context, services, to: .view)
                return JSONBody.response(AssetResource.json(asset))
            },
            APIRoute(.patch, "\(prefix)/asset/:id") { request, context in
                let (user, asset) = try accessibleAsset(request, context, services, to: .change)
                let body = try await JSONBody.value(of: request, limit: 64 * 1024)
                let fields = try AssetResource.fields(from: body, onto: asset.fields)
                try services.site.checkChange(of: asset, to: fields, by: user)
                do {
                    return JSONBody.response(AssetResource.json(try services.registry.updateAsset(id: asset.id, to: fields)))
                } catch let error as RegistryError {
                    throw APIError(error, entity: "asset")
                }
            },
            APIRoute(.delete, "\(prefix)/asset/:id") { request, context in
                let (_, asset) = try accessibleAsset(request, context, services, to: .delete)
                try services.site.deleteAsset(id: asset.id)
                return Response(status: .noContent)
            },
        ]
    }

    /// The requesting user and the asset of the path, if the site lets them use it as `use` says.
    static func accessibleAsset(
        _ request: Request, _ context: APIContext, _ services: APIServices, to use: AssetUse
    ) throws -> (User, Asset) {
        let user = try services.authenticate(request)
        return (user, try services.site.asset(try RESTParameters.id(context), for: user, to: use))
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
