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

    public init(
        secretKey: [UInt8], tokenMaxAge: Timespan = .hours(6), maximumBodyBytes: Int = 4 * 1024 * 1024,
        applianceVersion: String, backupDirectory: String = "var/backups"
    ) {
        self.backupDirectory = backupDirectory
        self.secretKey = secretKey
        self.tokenMaxAge = tokenMaxAge
        self.maximumBodyBytes = maximumBodyBytes
        self.applianceVersion = applianceVersion
    }
}
