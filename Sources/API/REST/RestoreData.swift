import BeliefStore
import Beliefs
import Foundation
import Hummingbird
import Registry
import Site

/// `PUT /api/restoreData` (and under every version, as section 15.8 writes it): for simulations, an
/// admin resets all power, price and weather data to a named backup. A backup is a folder in the backup
/// directory; its `beliefs.csv` (`SavedBeliefs`) holds the beliefs to restore, none when absent (a
/// backup such as the reference's demo_v0).
enum RestoreData {
    static func routes(_ services: APIServices) -> [APIRoute] {
        let handler: APIRoute.Handler = { request, _ in try await restore(request, services) }
        return [APIRoute(.put, "/api/restoreData", handler)]
            + APIVersion.allCases.map { APIRoute(.put, "\($0.prefix)/restoreData", handler) }
    }

    static func restore(_ request: Request, _ services: APIServices) async throws -> Response {
        let user = try services.authenticate(request)
        guard user.isAdmin else { throw APIError.invalidSender("restoreData is for administrators") }
        let message = try await JSONBody.message(of: request, limit: 64 * 1024)
        guard let name = message["backup"]?.stringValue, !name.isEmpty else {
            throw APIError.noBackup("Request message should include 'backup': the name of a folder in \(services.site.settings.backupDirectory)")
        }
        guard !name.contains("/"), !name.hasPrefix(".") else {
            throw APIError.unrecognizedBackup("a backup name is a folder name, without slashes")
        }
        let folder = URL(fileURLWithPath: services.site.settings.backupDirectory).appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw APIError.unrecognizedBackup("The requested backup is not known: no folder \(folder.path)")
        }
        let beliefs: [Belief]
        do {
            beliefs = try SavedBeliefs.read(folder.appendingPathComponent("beliefs.csv"))
        } catch let error as BeliefCSV.Invalid {
            throw APIError.unrecognizedBackup(error.description)
        }
        let deleted: Int
        let restored: Int
        do {
            (deleted, restored) = try await services.site.replaceAllBeliefs(with: beliefs)
        } catch let error as IngestError {
            // The transaction rolled back: the site keeps the beliefs it had.
            throw APIError.unrecognizedBackup("The backup \(name) cannot be restored: \(error.description). Nothing was changed.")
        }
        return JSONBody.response(.object([
            "status": .string("PROCESSED"),
            "message": .string("Request has been processed. Database restored to \(name): \(deleted) beliefs removed, \(restored) restored."),
        ]))
    }
}
