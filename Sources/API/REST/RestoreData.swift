import Hummingbird
import Site

/// `PUT /api/restoreData` (and under every version, as section 15.8 writes it): for simulations, an
/// admin resets all power, price and weather data to a named backup (`Site.restoreBeliefs`).
enum RestoreData {
    static func routes(_ services: APIServices) -> [APIRoute] {
        let handler: APIRoute.Handler = { request, _ in try await restore(request, services) }
        return [APIRoute(.put, "/api/restoreData", handler)]
            + APIVersion.allCases.map { APIRoute(.put, "\($0.prefix)/restoreData", handler) }
    }

    static func restore(_ request: Request, _ services: APIServices) async throws -> Response {
        try services.site.requireAdmin(try services.authenticate(request), to: .restoreBeliefs)
        let message = try await JSONBody.message(of: request, limit: 64 * 1024)
        // A backup that is no string names none.
        let name = message["backup"]?.stringValue ?? ""
        let (deleted, restored) = try await services.site.restoreBeliefs(fromBackupNamed: name)
        return JSONBody.response(.object([
            "status": .string("PROCESSED"),
            "message": .string("Request has been processed. Database restored to \(name): \(deleted) beliefs removed, \(restored) restored."),
        ]))
    }
}
