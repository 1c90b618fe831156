import HTTPTypes
import Hummingbird
import NIOCore
import Logging
import Registry
import Site

/// Turns what a console handler throws into a page: redirects, the console's refusals, the site's typed
/// refusals (access, validation), and anything else as a 500 page that tells nothing of the inside.
struct ConsoleErrorMiddleware: RouterMiddleware {
    typealias Context = ConsoleContext
    let pages: PageRenderer
    let services: ConsoleServices

    func handle(_ request: Request, context: ConsoleContext, next: (Request, ConsoleContext) async throws -> Response) async throws -> Response {
        var context = context
        // The session is found here, outside every handler, so that error pages keep the navigation of
        // whoever is signed in; `SessionMiddleware` inside checks where the request comes from.
        if let token = SessionCookie.value(SessionCookie.session, in: request.headers) {
            context.sessionToken = token
            context.session = try services.site.session(token: token)
        }
        let answer: Response
        do {
            return try await next(request, context)
        } catch let redirect as ConsoleRedirect {
            answer = redirect.response
        } catch {
            answer = try await page(for: error, context)
        }
        // What a page's script asks for (chart specs and data, uploads) gets JSON, and no redirect to a page.
        guard Self.isForScripts(request.uri.path) else {
            var page = answer
            page.headers[Self.messageHeader] = nil
            return page
        }
        let status: HTTPResponse.Status = answer.status == .seeOther ? .unauthorized : answer.status
        let message = answer.status == .seeOther ? "Your session has ended: log in again." : (answer.headers[Self.messageHeader] ?? status.reasonPhrase)
        return Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store", HTTPField.Name("X-Content-Type-Options")!: "nosniff"],
            body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(.object(["message": .string(message), "status": .number(Double(status.code))]))))
        )
    }

    static func isForScripts(_ path: String) -> Bool {
        path.hasSuffix("/chart/data") || path.hasSuffix("/chart/spec") || path.hasPrefix("/charts/") || path.hasPrefix("/upload/")
    }

    /// Carries an error page's message to the JSON answer of a script's request.
    static let messageHeader = HTTPField.Name("X-Console-Message")!

    private func page(for error: any Error, _ context: ConsoleContext) async throws -> Response {
        do {
            throw error
        } catch let error as ConsoleError {
            return page(error.status, heading(error.status), error.message, context)
        } catch let error as AccessError {
            let status: HTTPResponse.Status
            switch error.reason {
            case .unknownAsset, .unknownUser: status = .notFound
            default: status = .forbidden
            }
            return page(status, heading(status), error.description, context)
        } catch let error as AlertError {
            switch error.reason {
            case .notFound: return page(.notFound, "Not found", error.description, context)
            case .forbidden: return page(.forbidden, "Not allowed", error.description, context)
            case .invalid, .tooMany: return page(.unprocessableContent, "Not valid", error.description, context)
            }
        } catch let error as any SiteRefusal {
            return page(.unprocessableContent, "Not valid", error.description, context)
        } catch let error as RegistryError {
            if case .notFound = error { return page(.notFound, "Not found", error.description, context) }
            return page(.unprocessableContent, "Not valid", error.description, context)
        } catch let error as HTTPError {
            return page(error.status, heading(error.status), error.body ?? error.status.reasonPhrase, context)
        } catch {
            context.logger.error("console: unanswered error: \(error)")
            return page(.internalServerError, "Something went wrong", "The console could not answer; the log says why.", context)
        }
    }

    private func heading(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 403: "Not allowed"
        case 404: "Not found"
        case 413: "Too large"
        case 422: "Not valid"
        case 429: "Too many tries"
        default: status.reasonPhrase
        }
    }

    private func page(_ status: HTTPResponse.Status, _ heading: String, _ message: String, _ context: ConsoleContext) -> Response {
        var response = pages.page("error", title: heading, section: nil, session: context.session,
                                  values: ["heading": heading, "message": message], status: status)
        // Only header-safe text: the message is the JSON answer's for a script's request.
        response.headers[Self.messageHeader] = String(message.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F }.prefix(500))
        return response
    }
}
