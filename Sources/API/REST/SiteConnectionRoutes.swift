import Beliefs
import Hummingbird
import Registry
import Site

/// `GET/PUT/DELETE /api/v2_0/site/connection`: the site's grid connection (import and export capacity,
/// the asset whose power is the inflexible load). Any authenticated user reads it; only admins set or
/// remove it. With one set, scheduling jobs plan every storage device behind it together.
enum SiteConnectionRoutes {
    static let path = "\(APIVersion.v2_0.prefix)/site/connection"

    static func routes(_ services: APIServices) -> [APIRoute] {
        [
            APIRoute(.get, path) { request, _ in
                _ = try services.authenticate(request)
                guard let connection = try services.registry.gridConnection() else {
                    throw APIError.notFound("No site connection is set: each device is planned on its own")
                }
                return JSONBody.response(json(connection))
            },
            APIRoute(.put, path) { request, _ in
                try services.site.requireAdmin(try services.authenticate(request), to: .setSiteConnection)
                let body = try await JSONBody.value(of: request, limit: 16 * 1024)
                let connection = try connection(from: body)
                do {
                    return JSONBody.response(json(try services.registry.setGridConnection(connection)))
                } catch let error as RegistryError {
                    throw APIError.unprocessable("the site connection has invalid fields; nothing was changed", fields: error.messagesByField)
                }
            },
            APIRoute(.delete, path) { request, _ in
                try services.site.requireAdmin(try services.authenticate(request), to: .removeSiteConnection)
                guard try services.registry.deleteGridConnection() else {
                    throw APIError.notFound("No site connection is set")
                }
                return Response(status: .noContent)
            },
        ]
    }

    static func json(_ connection: GridConnection) -> JSONValue {
        .object([
            "import_capacity_mw": .number(connection.importCapacityInMW),
            "export_capacity_mw": .number(connection.exportCapacityInMW),
            "inflexible_asset_id": connection.inflexibleAssetID.map { .number(Double($0)) } ?? .null,
        ])
    }

    /// Reads a whole connection (PUT replaces it), collecting every problem as a 422.
    static func connection(from body: JSONValue) throws -> GridConnection {
        guard case let .object(sent) = body else {
            throw APIError.unprocessable("send the site connection as a JSON object", fields: ["_schema": ["Invalid input type: expected an object, got \(body.kindName)."]])
        }
        var errors: [String: [String]] = [:]
        for key in sent.keys where !["import_capacity_mw", "export_capacity_mw", "inflexible_asset_id"].contains(key) {
            errors[key, default: []].append("Unknown field.")
        }
        func capacity(_ field: String) -> Double {
            guard let value = sent[field], value != .null else {
                errors[field, default: []].append("Missing data for required field.")
                return 0
            }
            guard let number = value.numberValue, number.isFinite else {
                errors[field, default: []].append("Not a valid number.")
                return 0
            }
            return number
        }
        let importCapacity = capacity("import_capacity_mw")
        let exportCapacity = capacity("export_capacity_mw")
        var inflexible: SensorID?
        if let value = sent["inflexible_asset_id"], value != .null {
            if let number = value.numberValue, number == number.rounded(), number >= 1, number < 1e15 {
                inflexible = SensorID(number)
            } else {
                errors["inflexible_asset_id", default: []].append("Not a valid asset id.")
            }
        }
        guard errors.isEmpty else {
            throw APIError.unprocessable("the site connection has invalid fields; nothing was changed", fields: errors)
        }
        return GridConnection(importCapacityInMW: importCapacity, exportCapacityInMW: exportCapacity, inflexibleAssetID: inflexible)
    }
}
