import Hummingbird
import Registry

/// The public listing of API versions at `GET /api/`, as FlexMeasures 0.2.4 answers it.
public struct APIVersions: Encodable, Sendable {
    public static let supported = ["v1", "v1_1", "v1_2", "v1_3", "v2_0"]

    public let message: String
    public let status: Int
    public let versions: [String]
    public let flexmeasures_version: String

    public init(applianceVersion: String) {
        message = "For these API versions endpoints are available. An authentication token can be requested at "
            + "/api/requestAuthToken. For a list of services, send a getService request to /api/<version>/getService."
        status = 200
        versions = Self.supported
        flexmeasures_version = applianceVersion
    }
}

/// The routes that need no token: the versions listing and the token request.
enum PublicRoutes {
    static func routes(_ services: APIServices) -> [APIRoute] {
        let listing = APIVersions(applianceVersion: services.settings.applianceVersion)
        return [
            APIRoute(.get, "/api") { _, _ in try JSONBody.response(listing) },
            APIRoute(.post, "/api/requestAuthToken") { request, _ in
                try await requestAuthToken(request, services: services)
            },
            Health.route(services),
        ]
    }

    /// `POST /api/requestAuthToken` with `email` and `password`: 200 with `auth_token` and `user_id`.
    static func requestAuthToken(_ request: Request, services: APIServices) async throws -> Response {
        let message = try await JSONBody.message(of: request, limit: 64 * 1024)
        guard let email = message["email"]?.stringValue, !email.isEmpty else {
            throw APIError(.badRequest, "INVALID_REQUEST", "email is missing: send {\"email\": ..., \"password\": ...}")
        }
        guard let password = message["password"]?.stringValue else {
            throw APIError(.badRequest, "INVALID_REQUEST", "password is missing: send {\"email\": ..., \"password\": ...}")
        }
        guard let user = try services.registry.user(email: email) else {
            throw APIError(.notFound, "NOT_FOUND", "no user with email \(email)")
        }
        let hash = user.passwordHash
        let matches = try await runBlocking { PasswordHasher.verify(password, against: hash) }
        guard matches else { throw APIError.unauthorized("wrong password for \(email)") }
        guard user.active else { throw APIError.unauthorized("the account of \(email) is deactivated") }
        let token = services.tokens.issue(for: user, at: services.clock())
        return JSONBody.response(.object(["auth_token": .string(token), "user_id": .number(Double(user.id))]))
    }
}
