import Hummingbird
import Registry
import Site

/// The public listing of API versions at `GET /api/`, as FlexMeasures 0.2.4 answers it.
enum APIVersions {
    static func listing(applianceVersion: String) -> JSONValue {
        .object([
            "message": .string(
                "For these API versions endpoints are available. An authentication token can be requested at "
                    + "/api/requestAuthToken. For a list of services, send a getService request to /api/<version>/getService."
            ),
            "status": .number(200),
            "versions": .array(APIVersion.allCases.map { .string($0.rawValue) }),
            "flexmeasures_version": .string(applianceVersion),
        ])
    }
}

/// The routes that need no token: the versions listing and the token request.
enum PublicRoutes {
    static func routes(_ services: APIServices) -> [APIRoute] {
        let listing = APIVersions.listing(applianceVersion: services.settings.applianceVersion)
        return [
            APIRoute(.get, "/api") { _, _ in JSONBody.response(listing) },
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
            throw APIError.invalidRequest("email is missing: send {\"email\": ..., \"password\": ...}")
        }
        guard let password = message["password"]?.stringValue else {
            throw APIError.invalidRequest("password is missing: send {\"email\": ..., \"password\": ...}")
        }
        guard let user = try services.registry.user(email: email) else {
            throw APIError.notFound("no user with email \(email)")
        }
        let hash = user.passwordHash
        let matches = try await runBlocking { PasswordHasher.verify(password, against: hash) }
        guard matches else { throw APIError.unauthorized("wrong password for \(email)") }
        guard user.active else { throw APIError.unauthorized("the account of \(email) is deactivated") }
        let token = services.tokens.issue(for: user, at: services.clock())
        return JSONBody.response(.object(["auth_token": .string(token), "user_id": .number(Double(user.id))]))
    }
}
