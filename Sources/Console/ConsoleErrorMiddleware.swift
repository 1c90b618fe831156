import Hummingbird
import Logging
import Registry
import Site

/// Turns what a console handler throws into a page: redirects, the console's refusals, the site's typed
/// refusals (access, validation), and anything else as a 500 page that tells nothing of the inside.
struct ConsoleErrorMiddleware: RouterMiddleware {
    typealias Context = ConsoleContext
    let pages: PageRenderer

    func handle(_ request: Request, context: ConsoleContext, next: (Request, ConsoleContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let redirect as ConsoleRedirect {
            return redirect.response
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
            case .invalid: return page(.unprocessableContent, "Not valid", error.description, context)
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
        pages.page("error", title: heading, section: nil, session: context.session,
                   values: ["heading": heading, "message": message], status: status)
    }
}
