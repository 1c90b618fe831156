import Hummingbird
import Registry
import Site

/// `getService`: the services of a version, optionally only those a role may use.
enum ServiceListing {
    struct Service {
        let name: String
        let access: [String]
        let description: String
    }

    static let allData = ServiceAccess.dataRoleList.map(\.rawValue)
    static let control = ServiceAccess.controlRoleList.map(\.rawValue)

    static func services(of version: APIVersion) -> [Service] {
        var services = [
            Service(name: "getMeterData", access: allData, description: "Request meter reading"),
            Service(name: "postMeterData", access: allData, description: "Send meter reading"),
        ]
        guard version.isAtLeast(.v1_1) else { return services }
        services = [Service(name: "getConnection", access: allData, description: "Request entity addresses of connections")]
            + services + [
                Service(name: "getPrognosis", access: allData, description: "Request load planning"),
                Service(name: "postPrognosis", access: allData, description: "Send prediction"),
                Service(name: "postPriceData", access: allData, description: "Send prices"),
                Service(name: "postWeatherData", access: allData, description: "Send weather forecasts or weather sensor observations"),
            ]
        guard version.isAtLeast(.v1_2) else { return services }
        services += [
            Service(
                name: "getDeviceMessage", access: control,
                description: "Get an Active Demand & Supply (ADS) request for a certain type of control action, including control set points"
            ),
            Service(
                name: "postUdiEvent", access: control,
                description: "Send a description of some flexible consumption or production process as a USEF Device Interface (UDI) event, including device capabilities (control constraints)"
            ),
        ]
        guard version == .v2_0 else { return services }
        return services + [
            Service(name: "GET /assets", access: [], description: "List owned assets."),
            Service(name: "POST /assets", access: [], description: "Create an asset."),
            Service(name: "GET /asset/<id>", access: [], description: "Get an asset."),
            Service(name: "PATCH /asset/<id>", access: [], description: "Edit an asset."),
            Service(name: "DELETE /asset/<id>", access: [], description: "Delete an asset and its data."),
            Service(name: "GET /users", access: [], description: "List users."),
            Service(name: "GET /user/<id>", access: [], description: "Get a user."),
            Service(name: "PATCH /user/<id>", access: [], description: "Edit a user."),
            Service(name: "PATCH /user/<id>/password-reset", access: [], description: "Reset a user's password."),
        ]
    }

    static func route(_ version: APIVersion) -> APIRoute {
        let all = services(of: version)
        return APIRoute(.get, "\(version.prefix)/getService") { request, _ in
            let message = try await JSONBody.message(of: request, limit: 64 * 1024)
            var listed = all
            if let access = message["access"] {
                var refusal: APIError?
                if let role = access.stringValue {
                    listed = listed.filter { $0.access.contains(role) }
                    if listed.isEmpty {
                        let known = Role.allCases.map(\.rawValue).joined(separator: ", ")
                        refusal = .invalidRole("No known services for specified role \(APIError.quoted(role)). Roles: \(known)")
                    }
                } else {
                    refusal = .invalidRole("\"access\" must be a role name such as Prosumer, not \(access.kindName)")
                }
                if var refusal {
                    refusal.responseType = "GetServiceResponse"
                    throw refusal
                }
            }
            let body: [String: JSONValue] = [
                "type": .string("GetServiceResponse"),
                "version": .string(version.number),
                "services": .array(listed.map { service in
                    .object([
                        "name": .string(service.name),
                        "access": .array(service.access.map(JSONValue.string)),
                        "description": .string(service.description),
                    ])
                }),
                "status": .string("PROCESSED"),
                "message": .string("Request has been processed."),
            ]
            return JSONBody.response(.object(body))
        }
    }
}
