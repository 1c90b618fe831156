import Hummingbird
import Registry
import Site

/// `GET /api/v2_0/users`, `GET/PATCH /api/v2_0/user/<id>`, `PATCH /api/v2_0/user/<id>/password-reset`.
enum UserRoutes {
    static func json(_ user: User, roleIDs: [Role: Int64]) -> JSONValue {
        .object([
            "id": .number(Double(user.id)),
            "email": .string(user.email),
            "username": .string(user.username),
            "active": .bool(user.active),
            "timezone": .string(user.timezone),
            "flexmeasures_roles": .array(user.roles.compactMap { roleIDs[$0] }.sorted().map { .number(Double($0)) }),
        ])
    }

    /// The keys a PATCH may send: the account's fields, and its `id` (read but ignored).
    static let patchable = Set(AccountField.allCases.map(\.rawValue)).union(["id"])

    static func routes(_ services: APIServices) -> [APIRoute] {
        let prefix = APIVersion.v2_0.prefix
        return [
            APIRoute(.get, "\(prefix)/users") { request, _ in
                try services.site.requireAdmin(try services.authenticate(request), to: .listUsers)
                let include = JSONBody.queryMessage(request.uri)["include_inactive"]
                let includeInactive = include == .string("true") || include == .bool(true) || include == .number(1)
                let roleIDs = try services.registry.roleIDs()
                return JSONBody.response(.array(try services.registry.users(includeInactive: includeInactive).map { json($0, roleIDs: roleIDs) }))
            },
            APIRoute(.get, "\(prefix)/user/:id") { request, context in
                let target = try accessibleUser(request, context, services, to: .view).target
                return JSONBody.response(json(target, roleIDs: try services.registry.roleIDs()))
            },
            APIRoute(.patch, "\(prefix)/user/:id") { request, context in
                let (user, target) = try accessibleUser(request, context, services, to: .change)
                let body = try await JSONBody.value(of: request, limit: 64 * 1024)
                guard case let .object(sent) = body else {
                    throw APIError.unprocessable("send the changes as a JSON object", fields: ["_schema": ["Invalid input type."]])
                }
                let unexpected = Set(sent.keys).subtracting(patchable)
                guard unexpected.isEmpty else {
                    throw APIError.unprocessable("these fields cannot be changed here", fields: Dictionary(uniqueKeysWithValues: unexpected.map { ($0, ["Unknown field."]) }))
                }
                try services.site.checkChange(of: target, touching: Set(sent.keys.compactMap(AccountField.init(rawValue:))), by: user)
                let roleIDs = try services.registry.roleIDs()
                let changes = try userChanges(sent, roleIDs: roleIDs)
                do {
                    let updated = try services.registry.updateUser(id: target.id, changes)
                    return JSONBody.response(json(updated, roleIDs: roleIDs))
                } catch let error as RegistryError {
                    throw APIError(error, entity: "user")
                }
            },
            APIRoute(.patch, "\(prefix)/user/:id/password-reset") { request, context in
                let id = try accessibleUser(request, context, services, to: .resetPassword).target.id
                _ = try await runBlocking { try services.registry.resetPassword(id: id) }
                return JSONBody.response(.object([
                    "status": .string("PROCESSED"),
                    "message": .string("Password of user \(id) reset; their access tokens no longer work."),
                ]))
            },
        ]
    }

    /// The requesting user and the account of the path, if the site lets them use it as `use` says.
    static func accessibleUser(
        _ request: Request, _ context: APIContext, _ services: APIServices, to use: UserUse
    ) throws -> (user: User, target: User) {
        let user = try services.authenticate(request)
        return (user, try services.site.user(try RESTParameters.id(context), for: user, to: use))
    }

    static func userChanges(_ sent: [String: JSONValue], roleIDs: [Role: Int64]) throws -> UserChanges {
        var errors: [String: [String]] = [:]
        var changes = UserChanges()
        func text(_ key: String) -> String? {
            guard let value = sent[key] else { return nil }
            guard let string = value.stringValue else { errors[key, default: []].append("Not a valid string."); return nil }
            return string
        }
        changes.email = text("email")
        changes.username = text("username")
        changes.timezone = text("timezone")
        if let active = sent["active"] {
            if let flag = active.boolValue { changes.active = flag } else { errors["active", default: []].append("Not a valid boolean.") }
        }
        if let roles = sent["flexmeasures_roles"] {
            let byID = Dictionary(uniqueKeysWithValues: roleIDs.map { ($1, $0) })
            if let list = roles.arrayValue, let ids = Optional(list.compactMap(\.int64Value)), ids.count == list.count,
               ids.allSatisfy({ byID[$0] != nil }) {
                changes.roles = ids.compactMap { byID[$0]?.rawValue }
            } else {
                errors["flexmeasures_roles", default: []].append("Must be a list of role ids.")
            }
        }
        guard errors.isEmpty else { throw APIError.unprocessable("the user has invalid fields; nothing was changed", fields: errors) }
        return changes
    }
}
