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
    /// Where `restoreData` finds named backups (`FLEXMEASURES_DB_BACKUP_PATH`).
    public var backupDirectory: String
    /// How far ahead schedules plan (`FLEXMEASURES_PLANNING_HORIZON`, 48 hours by default).
    public var planningHorizon: Timespan
    /// How long a scheduling job and its result are kept (`FLEXMEASURES_PLANNING_TTL`, 7 days by default).
    public var planningTTL: Timespan
    /// How far a weather sensor may be from an asset to serve its forecasts as a regressor.
    public var regressorDistanceKilometres: Double = 100
    /// Whether meter data queues forecasts of what comes next (`FLEXMEASURES_FORECAST_METER_DATA`).
    public var forecastAfterMeterData = true
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
    /// The most time slots one request may cover at the sensor's resolution: a GET's or a chart's window,
    /// a post's beliefs after upsampling (`FLEXMEASURES_MAX_SLOTS_PER_REQUEST`; ten years of quarter hours).
    public var maximumSlotsPerRequest = APISettings.defaultMaximumSlotsPerRequest
    /// How many beliefs a post may store per value it sent, when coarser data is repeated to the sensor's
    /// resolution (`FLEXMEASURES_MAX_UPSAMPLING`; a day of quarter hours from one daily value).
    public var maximumUpsampling = APISettings.defaultMaximumUpsampling

    public static let defaultMaximumSlotsPerRequest = 350_640
    public static let defaultMaximumUpsampling = 96

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
        applianceVersion: String, backupDirectory: String = "var/backups", planningHorizon: Timespan = .hours(48),
        planningTTL: Timespan = .days(7)
    ) {
        self.planningHorizon = planningHorizon
        self.planningTTL = planningTTL
        self.backupDirectory = backupDirectory
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
