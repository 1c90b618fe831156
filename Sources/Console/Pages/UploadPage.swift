import Beliefs
import BeliefStore
import Foundation
import Hummingbird
import NIOCore
import Registry
import Site
import Synchronization

/// `GET /upload`: a CSV of one sensor's values, as `flexmeasures add beliefs` reads it, all or nothing,
/// with the bad lines listed. The page's script sends the file itself (`POST /upload/{sensor}`, the CSV as
/// the body, the token in `X-CSRF-Token`) with a progress bar; without scripts, the CSV pasted into the form
/// goes as a form (`POST /upload`).
enum UploadPage {
    /// The largest file: ten years of quarter hours with belief times fit.
    static let maximumBytes = 64 * 1024 * 1024
    static let maximumFormBytes = 4 * 1024 * 1024
    /// Uploads read and imported at once; more wait their turn by being refused (429), so that a few large
    /// files cannot fill the memory or the processors.
    static let concurrentUploadCount = 2

    struct Target {
        let id: SensorID
        let label: String
    }

    static func add(to router: Router<ConsoleContext>, services: ConsoleServices, pages: PageRenderer) {
        let concurrentUploads = UploadSlots(count: concurrentUploadCount)
        router.get("/upload") { request, context in
            let session = try context.requireSession(request)
            return try page(pages, services: services, session: session, selected: nil, result: nil)
        }
        router.post("/upload") { request, context in
            let (session, form) = try await context.form(request, limit: maximumFormBytes)
            let sensor = form.text("sensor").flatMap { SensorID($0) }
            let outcome = await importCSV(
                form["csv"] ?? "", sensor: sensor, horizon: form.text("horizon"), prior: form.text("prior"), services: services, user: session.user
            )
            // What was pasted comes back to be mended, unless it is too long to be worth sending again.
            let pasted = form["csv"] ?? ""
            let typed = outcome.stored == nil
                ? ["csv": pasted.utf8.count <= 100_000 ? pasted : "", "horizon": form["horizon"] ?? "", "prior": form["prior"] ?? ""] : [:]
            return try page(pages, services: services, session: session, selected: sensor, result: outcome, typed: typed,
                            status: outcome.stored == nil ? .unprocessableContent : .ok)
        }
        router.post("/upload/{sensor}") { request, context in
            let session = try context.checkCSRFHeader(request)
            let tooLarge = ConsoleError.tooLarge("The file is larger than \(maximumBytes / 1024 / 1024) MB: split it.")
            if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maximumBytes { throw tooLarge }
            guard concurrentUploads.take() else {
                throw ConsoleError(status: .tooManyRequests, message: "Other uploads are being imported: try again in a moment.")
            }
            defer { concurrentUploads.give() }
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: maximumBytes)
            } catch {
                throw tooLarge
            }
            let query = request.uri.queryParameters
            let outcome = await importCSV(
                String(buffer: buffer), sensor: context.parameters.get("sensor").flatMap { SensorID($0) },
                horizon: query["horizon"].map(String.init).flatMap { $0.isEmpty ? nil : $0 },
                prior: query["prior"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }, services: services, user: session.user
            )
            var body: [String: JSONValue] = ["message": .string(outcome.message)]
            if let stored = outcome.stored { body["stored"] = .number(Double(stored)) }
            body["problems"] = .array(outcome.problems.map(JSONValue.string))
            return Response(
                status: outcome.stored == nil ? .unprocessableContent : .ok,
                headers: [.contentType: "application/json", .cacheControl: "no-store", ChartRoutes.noSniff: "nosniff"],
                body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(.object(body))))
            )
        }
    }

    struct Outcome {
        var stored: Int?
        var message: String
        var problems: [String] = []
    }

    /// The sensors a user may upload to: their assets (all assets, markets and weather sensors for admins).
    static func targets(for user: User, services: ConsoleServices) throws -> [Target] {
        var targets = try services.site.assets(for: user).map { Target(id: $0.id, label: "\($0.fields.displayName) (asset, MW)") }
        if user.isAdmin {
            targets += try services.site.registry.markets().map { Target(id: $0.id, label: "\($0.displayName) (market, \($0.unit))") }
            targets += try services.site.registry.weatherSensors().map { Target(id: $0.id, label: "\($0.displayName) (weather, \($0.unit))") }
        }
        return targets
    }

    static func importCSV(
        _ text: String, sensor: SensorID?, horizon: String?, prior: String?, services: ConsoleServices, user: User
    ) async -> Outcome {
        do {
            guard let sensor, try targets(for: user, services: services).contains(where: { $0.id == sensor }) else {
                return Outcome(message: "Choose a sensor you may upload to.")
            }
            let horizonSpan: Timespan?
            do { horizonSpan = try horizon.map { try Timespan.parseISO8601($0) } } catch {
                return Outcome(message: "The horizon is not an ISO 8601 duration such as PT6H or -PT5M.")
            }
            let priorInstant: Instant?
            do { priorInstant = try prior.map { try Instant.parseISO8601($0) } } catch {
                return Outcome(message: "The prior is not an ISO 8601 datetime with an offset.")
            }
            if let priorInstant, !RequestBounds.datetimes.contains(priorInstant) {
                return Outcome(message: "The prior is out of range.")
            }
            let receipt = try await services.site.importBeliefs(
                csv: text, named: "the file", sensorID: sensor, horizon: horizonSpan, prior: priorInstant,
                from: .user(id: user.id, name: user.username)
            )
            return Outcome(stored: receipt.beliefs, message: "Stored \(receipt.beliefs) value(s).")
        } catch let error as ImportError {
            switch error.reason {
            case let .unreadable(lines):
                return Outcome(message: "The file has \(lines.count) bad line(s); nothing was stored.", problems: Array(lines.prefix(100)))
            default:
                return Outcome(message: error.description)
            }
        } catch {
            return Outcome(message: "The upload failed: \(error)")
        }
    }

    static func page(
        _ pages: PageRenderer, services: ConsoleServices, session: ConsoleSession, selected: SensorID?, result: Outcome?,
        typed: [String: String] = [:], status: HTTPResponse.Status = .ok
    ) throws -> Response {
        var values: [String: Any] = [
            "csrfToken": session.csrfToken, "maximumMB": maximumBytes / 1024 / 1024,
            "targets": try targets(for: session.user, services: services).map { ["id": $0.id, "label": $0.label, "selected": $0.id == selected] },
            "uploadScript": StaticFiles.path("upload.js"),
            "typedCSV": typed["csv"] ?? "", "typedHorizon": typed["horizon"] ?? "", "typedPrior": typed["prior"] ?? "",
        ]
        if let result {
            values["result"] = result.message
            values["failed"] = result.stored == nil
            values["problems"] = result.problems
        }
        return pages.page("upload", title: "Upload data", section: .upload, session: session, values: values, status: status)
    }
}

/// A counter of slots: `take` one if any is free, `give` it back when done.
final class UploadSlots: Sendable {
    private let free: Mutex<Int>

    init(count: Int) { free = Mutex(count) }

    func take() -> Bool {
        free.withLock { free in
            guard free > 0 else { return false }
            free -= 1
            return true
        }
    }

    func give() { free.withLock { $0 += 1 } }
}
