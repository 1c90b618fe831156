import BeliefStore
import Beliefs
import HTTPTypes
import Hummingbird
import Jobs
import Registry
import Site

/// What the handlers work with: the site (its registry, beliefs, jobs and work), the API's settings, and
/// token handling.
public final class APIServices: Sendable {
    public let site: Site
    public var registry: Registry { site.registry }
    public var store: BeliefStore { site.store }
    public var jobs: JobQueue { site.jobs }
    public let metrics = APIMetrics()
    /// The daemon's own job workers, for `GET /api/health`.
    public let workers = WorkerLiveness()
    public let settings: APISettings
    public let tokens: AccessToken
    let tokenHeader: HTTPField.Name
    /// The current time; replaceable so that tests can age tokens.
    public let clock: @Sendable () -> Instant

    public init(site: Site, settings: APISettings, clock: @escaping @Sendable () -> Instant = { .now() }) {
        self.site = site
        self.settings = settings
        self.clock = clock
        tokens = AccessToken(secretKey: settings.secretKey, maximumAge: settings.tokenMaxAge)
        tokenHeader = HTTPField.Name(settings.tokenHeader) ?? .authorization
    }

    /// The user whose token the request carries in its Authorization header (or the one
    /// `SECURITY_TOKEN_AUTHENTICATION_HEADER` names), raw or after "Bearer ".
    public func authenticate(_ request: Request) throws -> User {
        guard var token = request.headers[tokenHeader], !token.isEmpty else {
            throw APIError.unauthorized("Authentication token is missing: request one at /api/requestAuthToken and send it in the \(tokenHeader) header")
        }
        if token.utf8.count > 7, token.prefix(7).lowercased() == "bearer " { token = String(token.dropFirst(7)) }
        guard let userID = AccessToken.claimedUserID(token), let user = try registry.user(id: userID) else {
            throw APIError.unauthorized("The authentication token is not valid: request a new one at /api/requestAuthToken")
        }
        do {
            try tokens.verify(token, for: user, at: clock())
        } catch .expired {
            throw APIError.unauthorized("The authentication token has expired: request a new one at /api/requestAuthToken")
        } catch {
            throw APIError.unauthorized("The authentication token is not valid: request a new one at /api/requestAuthToken")
        }
        return user
    }

    /// Refuses users that have none of `roles` (admins may do everything).
    public func require(_ user: User, anyOf roles: Set<Role>, for service: String) throws {
        guard user.isAdmin || !user.roles.isDisjoint(with: roles) else {
            let allowed = roles.map(\.rawValue).sorted().joined(separator: ", ")
            throw APIError.invalidSender("\(service) is for users with one of the roles \(allowed)")
        }
    }
}
