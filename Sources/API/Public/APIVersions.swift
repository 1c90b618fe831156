import Hummingbird

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

/// Registers the routes that need no token.
public enum PublicRoutes {
    public static func register<Context: RequestContext>(on router: Router<Context>, applianceVersion: String) {
        let listing = APIVersions(applianceVersion: applianceVersion)
        router.get("/api") { _, _ in try JSONResponse.make(listing) }
    }
}
