import API
import Beliefs
import Logging
import Registry
import Site

/// Every setting the appliance reads, each declared once (see `Setting`), in the order README's
/// configuration table and `config show` list them.
enum Settings {
    /// The API's own defaults (what `APISettings` holds unless configured), so they are written once.
    private static let api = APISettings(secretKey: [], applianceVersion: "")

    static let database = Setting.text(
        "FLEXMEASURES_DB", default: "var/flexmeasures.db", written: "./var/flexmeasures.db",
        meaning: "the SQLite database file (--db wins)"
    )
    static let bind = Setting.text(
        "FLEXMEASURES_BIND", default: "127.0.0.1:5000", meaning: "the TCP listener of run (--bind wins); none turns TCP off"
    )
    static let unixSocket = Setting.optionalText("FLEXMEASURES_UNIX_SOCKET", meaning: "a Unix socket for run to listen on too")
    static let secretKey = Setting.optionalText(
        "SECRET_KEY", written: "random per start", meaning: "signs access tokens", isSecret: true
    )
    static let tokenMaxAge = Setting.count(
        "SECURITY_TOKEN_MAX_AGE", default: api.tokenMaxAge.microseconds / 1_000_000, atMost: 10 * 366 * 24 * 3600, meaning: "seconds an access token lives"
    )
    static let maximumBodyBytes = Setting.count(
        "FLEXMEASURES_MAX_BODY_BYTES", default: Int64(api.maximumBodyBytes), atMost: 1 << 30, meaning: "the largest request body"
    )
    static let maximumSlots = Setting.count(
        "FLEXMEASURES_MAX_SLOTS_PER_REQUEST", default: Int64(Site.Settings.defaultMaximumSlotsPerRequest), atMost: 100_000_000,
        meaning: "the most time slots one request, plan or forecasting job may cover"
    )
    static let maximumUpsampling = Setting.count(
        "FLEXMEASURES_MAX_UPSAMPLING", default: Int64(Site.Settings.defaultMaximumUpsampling), atMost: 1_000_000,
        meaning: "how many beliefs a post may store per value it sent"
    )
    static let headerTimeout = Setting.count(
        "FLEXMEASURES_HEADER_TIMEOUT", default: ConnectionLimits.default.headerTimeoutSeconds, atMost: 86_400,
        meaning: "seconds a request's head may take to arrive"
    )
    static let bodyTimeout = Setting.count(
        "FLEXMEASURES_BODY_TIMEOUT", default: ConnectionLimits.default.bodyTimeoutSeconds, atMost: 86_400,
        meaning: "seconds a request's body may take after its head"
    )
    static let idleTimeout = Setting.count(
        "FLEXMEASURES_IDLE_TIMEOUT", default: ConnectionLimits.default.idleTimeoutSeconds, atMost: 86_400,
        meaning: "seconds a kept-alive connection may wait for its next request"
    )
    static let maximumConnections = Setting.count(
        "FLEXMEASURES_MAX_CONNECTIONS", default: Int64(ConnectionLimits.default.maximumConnections), atMost: 1_000_000,
        meaning: "open connections per listener"
    )
    static let planningHorizon = Setting.duration(
        "FLEXMEASURES_PLANNING_HORIZON", default: Site.Settings().planningHorizon, written: "PT48H", meaning: "how far schedules plan"
    )
    static let planningTTL = Setting.duration(
        "FLEXMEASURES_PLANNING_TTL", default: Site.Settings().planningTTL, written: "P7D", meaning: "how long scheduling jobs and their plans are kept"
    )
    static let backupDirectory = Setting.text(
        "FLEXMEASURES_DB_BACKUP_PATH", default: Site.Settings().backupDirectory, written: "./var/backups", meaning: "where restoreData finds named backups"
    )
    static let forecastMeterData = Setting.flag(
        "FLEXMEASURES_FORECAST_METER_DATA", default: Site.Settings().forecastAfterMeterData, meaning: "whether meter data queues forecasts of what comes next"
    )
    static let regressorDistance = Setting<Double>.reading(
        "FLEXMEASURES_REGRESSOR_DISTANCE_KM", default: Site.Settings().regressorDistanceKilometres, written: "100",
        meaning: "how far a weather sensor may be from an asset to serve as a regressor", expected: "a distance in kilometres"
    ) { text in Double(text).flatMap { $0 >= 0 && $0.isFinite ? $0 : nil } }
    static let alertInterval = Setting.count(
        "FLEXMEASURES_ALERT_INTERVAL", default: 30, atMost: 86_400,
        meaning: "seconds between the daemon's passes over the timer's alert rules (gaps, jobs, workers, sources) and reminders"
    )
    static let alertRetention = Setting<Timespan>.reading(
        "FLEXMEASURES_ALERT_RETENTION", default: Site.Settings().alertNoticeRetention, written: "P30D",
        meaning: "how long delivered alert notices are kept before the timer prunes them (ended silences go at once)",
        expected: "an ISO 8601 duration from PT1H to P3660D"
    ) { text in
        (try? Timespan.parseISO8601(text)).flatMap { $0 >= .hours(1) && $0 <= .days(3660) ? $0 : nil }
    }
    static let mailServer = Setting.optionalText(
        "MAIL_SERVER", meaning: "the SMTP server that alert mail goes through; with FLEXMEASURES_ALERT_MAIL_TO it turns mail on"
    )
    static let mailPort = Setting.count("MAIL_PORT", default: 25, atMost: 65_535, meaning: "the SMTP server's port")
    static let mailUseTLS = Setting.flag(
        "MAIL_USE_TLS", default: false, meaning: "STARTTLS before anything else is sent; the server must offer it"
    )
    static let mailUseSSL = Setting.flag("MAIL_USE_SSL", default: false, meaning: "TLS from the first byte (usually port 465)")
    static let mailUsername = Setting.optionalText("MAIL_USERNAME", meaning: "the SMTP user name (AUTH PLAIN or LOGIN); none sends without AUTH")
    static let mailPassword = Setting.optionalText("MAIL_PASSWORD", meaning: "the SMTP password", isSecret: true)
    static let mailSender = Setting.text(
        "MAIL_DEFAULT_SENDER", default: "FlexMeasures <no-reply@example.com>", meaning: "the From of alert mail"
    )
    static let alertMailTo = Setting<[String]>(
        name: "FLEXMEASURES_ALERT_MAIL_TO", defaultValue: [], defaultText: "none",
        meaning: "the recipients of alert mail, comma-separated; none turns mail off", parse: SettingParsers.list("FLEXMEASURES_ALERT_MAIL_TO")
    )
    static let alertMailSendResolved = Setting.flag(
        "FLEXMEASURES_ALERT_MAIL_SEND_RESOLVED", default: true, meaning: "whether mail also says when an alert resolved"
    )
    static let alertWebhookURL = Setting.optionalText(
        "FLEXMEASURES_ALERT_WEBHOOK_URL", meaning: "an http:// or https:// receiver of Alertmanager's webhook JSON (version 4); none turns it off"
    )
    static let alertWebhookSendResolved = Setting.flag(
        "FLEXMEASURES_ALERT_WEBHOOK_SEND_RESOLVED", default: true, meaning: "whether the webhook also says when an alert resolved"
    )
    static let alertWebhookTimeout = Setting.count(
        "FLEXMEASURES_ALERT_WEBHOOK_TIMEOUT", default: 10, atMost: 3_600, meaning: "seconds the webhook's connect, and then its answer, may take"
    )
    static let alertCAFile = Setting.optionalText(
        "FLEXMEASURES_ALERT_CA_FILE", meaning: "PEM certificates trusted besides the system's, for the mail server and an https webhook"
    )
    static let uplinkURL = Setting.optionalText(
        "FLEXMEASURES_UPLINK_URL",
        meaning: "the central PostgreSQL the site forwards every belief to (postgres://user@host:5432/database?sslmode=prefer); none turns the uplink off",
        masking: .passwordInURL
    )
    static let uplinkSite = Setting.optionalText(
        "FLEXMEASURES_UPLINK_SITE", meaning: "the site's name in the fleet, unique there (letters, digits, . - _); needed with FLEXMEASURES_UPLINK_URL"
    )
    static let uplinkPasswordFile = Setting.optionalText(
        "FLEXMEASURES_UPLINK_PASSWORD_FILE", meaning: "a file holding the uplink user's password (its first line)"
    )
    static let uplinkPassword = Setting.optionalText(
        "FLEXMEASURES_UPLINK_PASSWORD", meaning: "the uplink user's password, when no password file is given", isSecret: true
    )
    static let timezone = Setting.text("FLEXMEASURES_TIMEZONE", default: "UTC", meaning: "timezone of new users without --timezone")
    static let bcryptCost = Setting<UInt8>.reading(
        "FLEXMEASURES_BCRYPT_COST", default: PasswordHasher.defaultCost, written: String(PasswordHasher.defaultCost),
        meaning: "bcrypt cost of password hashes", expected: "a whole number from 4 to 31"
    ) { text in UInt8(text).flatMap { PasswordHasher.allowedCosts.contains($0) ? $0 : nil } }
    static let environment = Setting.text(
        "FLEXMEASURES_ENV", default: "production", meaning: "development lets the daemon start without SECRET_KEY"
    )
    static let tlsCertificate = Setting.optionalText("FLEXMEASURES_TLS_CERT", meaning: "PEM certificate of the TCP listener")
    static let tlsKey = Setting.optionalText("FLEXMEASURES_TLS_KEY", meaning: "PEM private key of the TCP listener")
    static let loggingLevel = Setting<Logger.Level>.reading(
        "LOGGING_LEVEL", default: .info, written: "INFO", meaning: "the daemon's and the workers' log level",
        expected: "DEBUG, INFO, WARNING or ERROR"
    ) { text in
        switch text.uppercased() {
        case "DEBUG": .debug
        case "INFO": .info
        case "WARNING", "WARN": .warning
        case "ERROR": .error
        case "CRITICAL": .critical
        default: nil
        }
    }
    static let platformName = Setting.text("FLEXMEASURES_PLATFORM_NAME", default: api.platformName, meaning: "the name heading the charts")
    static let sessionLifetime = Setting.count(
        "PERMANENT_SESSION_LIFETIME", default: 43_200, atMost: 31 * 24 * 3600, meaning: "seconds a console login lasts"
    )
    static let mode = Setting<Bool>.reading(
        "FLEXMEASURES_MODE", default: false, written: "none", meaning: "demo shows the demo login on the console's login page",
        expected: "demo, or nothing"
    ) { text in
        switch text.lowercased() {
        case "demo": true
        case "", "play", "production", "none": false
        default: nil
        }
    }
    static let demoCredentials = Setting<(email: String, password: String)?>.reading(
        "FLEXMEASURES_PUBLIC_DEMO_CREDENTIALS", default: nil, written: "none", meaning: "email:password of the demo login (demo mode)",
        expected: "email:password"
    ) { text in
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let email = String(text[..<colon]), password = String(text[text.index(after: colon)...])
        return email.contains("@") && !password.isEmpty ? .some((email, password)) : nil
    }
    static let demoYear = Setting<Int?>.reading(
        "FLEXMEASURES_DEMO_YEAR", default: nil, written: "none", meaning: "in demo mode, the console's charts show this year's data as if it were this year's",
        expected: "a year from 1970 to 2199"
    ) { text in Int(text).flatMap { (1970...2199).contains($0) ? .some($0) : nil } }
    static let hostsAndAuthStart = Setting<[NamingAuthority]>(
        name: "FLEXMEASURES_HOSTS_AND_AUTH_START", defaultValue: api.namingAuthorities,
        defaultText: "flexmeasures.io=2021-01", meaning: "the domains the appliance answers for, with the month their owner took them",
        parse: SettingParsers.namingAuthorities
    )
    static let corsOrigins = Setting<[String]>(
        name: "CORS_ORIGINS", defaultValue: [], defaultText: "none", meaning: "web origins whose pages may call the API",
        parse: SettingParsers.list("CORS_ORIGINS")
    )
    static let corsResources = Setting<[String]>(
        name: "CORS_RESOURCES", defaultValue: api.cors.resources, defaultText: "/api/*", meaning: "the path prefixes CORS applies to",
        parse: SettingParsers.list("CORS_RESOURCES")
    )
    static let corsCredentials = Setting.flag(
        "CORS_SUPPORTS_CREDENTIALS", default: api.cors.supportsCredentials, meaning: "sends Access-Control-Allow-Credentials: true"
    )
    static let tokenHeader = Setting<String>.reading(
        "SECURITY_TOKEN_AUTHENTICATION_HEADER", default: api.tokenHeader, written: "Authorization",
        meaning: "the request header that carries the access token", expected: "an HTTP header name such as Authorization"
    ) { text in
        text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") } ? text : nil
    }

    /// Every setting, in README's order.
    static let all: [SettingDeclaration] = [
        database.declaration, bind.declaration, unixSocket.declaration, secretKey.declaration, tokenMaxAge.declaration,
        maximumBodyBytes.declaration, maximumSlots.declaration, maximumUpsampling.declaration, headerTimeout.declaration,
        bodyTimeout.declaration, idleTimeout.declaration, maximumConnections.declaration, planningHorizon.declaration,
        planningTTL.declaration, backupDirectory.declaration, forecastMeterData.declaration, regressorDistance.declaration,
        alertInterval.declaration, alertRetention.declaration, mailServer.declaration, mailPort.declaration, mailUseTLS.declaration, mailUseSSL.declaration,
        mailUsername.declaration, mailPassword.declaration, mailSender.declaration, alertMailTo.declaration,
        alertMailSendResolved.declaration, alertWebhookURL.declaration, alertWebhookSendResolved.declaration,
        alertWebhookTimeout.declaration, alertCAFile.declaration, uplinkURL.declaration, uplinkSite.declaration,
        uplinkPasswordFile.declaration, uplinkPassword.declaration, timezone.declaration, bcryptCost.declaration, environment.declaration, tlsCertificate.declaration, tlsKey.declaration,
        loggingLevel.declaration, platformName.declaration, sessionLifetime.declaration, mode.declaration,
        demoCredentials.declaration, demoYear.declaration, hostsAndAuthStart.declaration, corsOrigins.declaration,
        corsResources.declaration, corsCredentials.declaration, tokenHeader.declaration,
    ]
}
