import Hummingbird

/// Which web origins may call the API from a browser, as the reference's Flask-CORS settings say: a page
/// served elsewhere (a dashboard embedding `charts/power`, say) may read the answers only when its origin
/// is listed.
public struct CORSPolicy: Sendable, Equatable {
    /// `CORS_ORIGINS`: exact origins (`https://dashboard.site.example`), or `*` for any. None by default.
    public var origins: [String]
    /// `CORS_RESOURCES`: the path prefixes CORS applies to; a trailing `*` (the reference's `/api/*`) reads
    /// as a prefix.
    public var resources: [String]
    /// `CORS_SUPPORTS_CREDENTIALS`: whether browsers may send credentials along.
    public var supportsCredentials: Bool

    public init(origins: [String] = [], resources: [String] = ["/api/*"], supportsCredentials: Bool = true) {
        self.origins = origins
        self.resources = resources
        self.supportsCredentials = supportsCredentials
    }

    /// The `Access-Control-Allow-Origin` for a request from `origin` to `path`, or nil when not allowed.
    func allowedOrigin(_ origin: String, path: String) -> String? {
        guard resources.contains(where: { path.hasPrefix($0.hasSuffix("*") ? String($0.dropLast()) : $0) }) else { return nil }
        if origins.contains(origin) { return origin }
        guard origins.contains("*") else { return nil }
        // With credentials a browser refuses `*`: the reference's Flask-CORS answers with the origin itself.
        return supportsCredentials ? origin : "*"
    }
}

/// Adds the CORS headers to answers for listed origins, and answers their preflight requests.
struct CORSMiddleware: RouterMiddleware {
    typealias Context = APIContext

    let policy: CORSPolicy

    static let allowedMethods = "GET, POST, PUT, PATCH, DELETE"

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        guard !policy.origins.isEmpty, let origin = request.headers[.origin],
              let allowed = policy.allowedOrigin(origin, path: request.uri.path) else {
            return try await next(request, context)
        }
        var response: Response
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            response = Response(status: .noContent)
            response.headers[.accessControlAllowMethods] = Self.allowedMethods
            if let headers = request.headers[.accessControlRequestHeaders] {
                response.headers[.accessControlAllowHeaders] = headers
            }
        } else {
            response = try await next(request, context)
        }
        response.headers[.accessControlAllowOrigin] = allowed
        if allowed != "*" { response.headers[.vary] = "Origin" }
        if policy.supportsCredentials { response.headers[.accessControlAllowCredentials] = "true" }
        return response
    }
}
