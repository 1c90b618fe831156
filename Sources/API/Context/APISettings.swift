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
