import Hummingbird
import Logging
import Site

/// Turns every failure into a JSON answer with the documented code and status string: API errors as
/// they are, the site's refusals as `APIError(refusal:)` says, unknown routes as 404, known routes with
/// the wrong method as 405, anything unexpected as 500 (logged, never a crash, never a stack trace to the client).
struct APIErrorMiddleware: RouterMiddleware {
    typealias Context = APIContext

    let routes: RouteTable

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return Self.response(for: error)
        } catch let error as HTTPError where error.status == .notFound {
            if routes.knows(request.uri.path) {
                return Self.response(for: .invalidMethod("\(request.method) is not allowed on \(request.uri.path)"))
            }
            return Self.response(for: .notFound("no endpoint at \(request.uri.path); GET /api/ lists the API versions"))
        } catch let error as HTTPError {
            return Self.response(for: .transport(error.status, error.body ?? error.status.reasonPhrase))
        } catch {
            if let refusal = APIError(refusal: error) {
                return Self.response(for: refusal)
            }
            context.logger.error("request failed: \(error)", metadata: ["path": .string(request.uri.path)])
            return Self.response(for: APIError.internalServerError())
        }
    }

    static func response(for error: APIError) -> Response {
        var body: [String: JSONValue] = ["status": .string(error.status), "message": .string(error.message)]
        if let type = error.responseType {
            body["type"] = .string(type)
            body["result"] = .string("Rejected")
        }
        if let fields = error.fieldErrors {
            body["errors"] = .object(fields.mapValues { .array($0.map(JSONValue.string)) })
        }
        return JSONBody.response(.object(body), status: error.httpStatus)
    }
}

extension APIError {
    /// The JSON answer of this error, for the listeners' last line of defence.
    public var response: Response { APIErrorMiddleware.response(for: self) }
}
