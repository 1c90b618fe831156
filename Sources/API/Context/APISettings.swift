import Beliefs

/// What the API needs from the appliance's configuration.
public struct APISettings: Sendable {
    /// Signs access tokens (`SECRET_KEY`).
    public var secretKey: [UInt8]
    /// How long an access token lives (`SECURITY_TOKEN_MAX_AGE`, seconds; the reference's default is 6 hours).
    public var tokenMaxAge: Timespan
    /// The largest request body accepted.
    public var maximumBodyBytes: Int
    /// The release reported by `GET /api/`.
    public var applianceVersion: String
    /// The name in headings, here the charts' titles (`FLEXMEASURES_PLATFORM_NAME`).
    public var platformName = "FlexMeasures"
    /// The domains the appliance answers for and since when their owner holds them
    /// (`FLEXMEASURES_HOSTS_AND_AUTH_START`): the naming authority of the entity addresses it gives out.
    public var namingAuthorities: [NamingAuthority] = [NamingAuthority(host: "flexmeasures.io", month: "2021-01")]
    /// Which other web origins may call the API from a browser (`CORS_ORIGINS`, `CORS_RESOURCES`,
    /// `CORS_SUPPORTS_CREDENTIALS`).
    public var cors = CORSPolicy()
    /// The request header that carries the access token (`SECURITY_TOKEN_AUTHENTICATION_HEADER`).
    public var tokenHeader = "Authorization"

    /// The naming authority for a request to `host` (the Host header, port dropped): the entry for that
    /// host or for its last two labels (as the reference matches them), else the first entry.
    public func namingAuthority(forHost host: String?) -> NamingAuthority {
        let name = host.map { $0.hasPrefix("[") ? $0 : String($0.split(separator: ":").first ?? "") }?.lowercased() ?? ""
        let registered = name.split(separator: ".").suffix(2).joined(separator: ".")
        return namingAuthorities.first { $0.host == name } ?? namingAuthorities.first { $0.host == registered }
            ?? namingAuthorities[0]
    }

    public init(
        secretKey: [UInt8], tokenMaxAge: Timespan = .hours(6), maximumBodyBytes: Int = 4 * 1024 * 1024,
        applianceVersion: String
    ) {
        self.secretKey = secretKey
        self.tokenMaxAge = tokenMaxAge
        self.maximumBodyBytes = maximumBodyBytes
        self.applianceVersion = applianceVersion
    }
}

/// A domain and the month since when its owner holds it: the `ea1.<YYYY-MM>.<reversed domain>` prefix of
/// entity addresses (USEF EA1, reference 14.4.2).
public struct NamingAuthority: Sendable, Equatable {
    public let host: String
    public let month: String

    public init(host: String, month: String) {
        self.host = host.lowercased()
        self.month = month
    }

    public var addressPrefix: String { "ea1.\(month).\(host.split(separator: ".").reversed().joined(separator: "."))" }
}
