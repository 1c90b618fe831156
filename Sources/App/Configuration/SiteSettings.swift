import API
import Delivery
import Beliefs
import Foundation
import Logging
import Registry
import Site
import Uplink

/// Settings that every command reads from the environment; command-line flags win over them.
public struct SiteSettings: Sendable {
    /// The release of this appliance, reported by `GET /api/` and `--version`.
    public static let applianceVersion = "0.3.0"
    public static let defaultDatabasePath = "var/flexmeasures.db"
    public static let defaultBind = "127.0.0.1:5000"

    /// The effective settings: the configuration file's, overridden by the environment's.
    public let environment: [String: String]
    /// Where each setting came from ("environment", or the file's path).
    public let origins: [String: String]
    /// The configuration file read, if any.
    public let configFile: String?
    /// The file's `[[alert_rule]]` tables (the daemon applies them at start), with their lines.
    let alertRules: [(line: Int, fields: [String: JSONValue])]

    /// Settings from the configuration file (`--config`, else `FLEXMEASURES_CONFIG`, else the first of
    /// /etc/flexmeasures/flexmeasures.toml and ~/.flexmeasures.toml that exists), with the environment's
    /// variables of the same names winning over it.
    init(configFlag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let named = configFlag ?? environment["FLEXMEASURES_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let path = named ?? ConfigFile.defaultPaths.first { FileManager.default.fileExists(atPath: $0) }
        var merged: [String: String] = [:]
        var origins: [String: String] = [:]
        var rules: [(line: Int, fields: [String: JSONValue])] = []
        if let path {
            let file: ConfigFile
            do {
                file = try ConfigFile(path: path)
            } catch let error as ConfigFile.Invalid {
                throw SettingError(name: "configuration file", value: path, expected: "a readable TOML file of settings (\(error.description))")
            }
            merged = file.values
            origins = file.values.mapValues { _ in path }
            rules = file.alertRules
        }
        for (key, value) in environment {
            merged[key] = value
            origins[key] = "environment"
        }
        self.environment = merged
        self.origins = origins
        configFile = path
        alertRules = rules
    }

    /// The value of a declared setting: its text read by its parser, else its default.
    func value<Value>(_ setting: Setting<Value>) throws(SettingError) -> Value {
        guard let text = nonEmpty(setting.name) else { return setting.defaultValue }
        return try setting.parse(text)
    }

    /// Development mode (`FLEXMEASURES_ENV` or the reference's `FLASK_ENV` set to development) lets the
    /// daemon start without `SECRET_KEY`.
    public var isDevelopment: Bool {
        (nonEmpty(Settings.environment.name) ?? nonEmpty("FLASK_ENV"))?.lowercased() == "development"
    }

    /// `--db`, else `FLEXMEASURES_DB`, else `./var/flexmeasures.db`.
    public func databasePath(flag: String?) -> String {
        flag ?? nonEmpty(Settings.database.name) ?? Self.defaultDatabasePath
    }

    /// The TCP listener: `--bind`, else `FLEXMEASURES_BIND`; else 127.0.0.1:5000 unless a Unix socket
    /// is configured (then the socket alone). `none` turns TCP off.
    public func bind(flag: String?, unixSocket: String?) -> String? {
        let configured = flag ?? nonEmpty(Settings.bind.name)
        if configured?.lowercased() == "none" { return nil }
        return configured ?? (unixSocket == nil ? Self.defaultBind : nil)
    }

    /// `--unix-socket`, else `FLEXMEASURES_UNIX_SOCKET`, else none.
    public func unixSocket(flag: String?) -> String? {
        flag ?? nonEmpty(Settings.unixSocket.name)
    }

    /// `FLEXMEASURES_TLS_CERT` and `FLEXMEASURES_TLS_KEY`: PEM files that turn TLS on for the TCP
    /// listener (for a listener on the site's LAN; loopback and the Unix socket do without).
    public func tlsFiles() throws(SettingError) -> (certificate: String, key: String)? {
        let certificate = nonEmpty(Settings.tlsCertificate.name)
        let key = nonEmpty(Settings.tlsKey.name)
        switch (certificate, key) {
        case (nil, nil): return nil
        case let (certificate?, key?): return (certificate, key)
        default:
            throw SettingError(name: "\(Settings.tlsCertificate.name)/\(Settings.tlsKey.name)", value: certificate ?? key ?? "",
                               expected: "both a certificate and a private key (PEM files), or neither")
        }
    }

    /// `FLEXMEASURES_DB_BACKUP_PATH`: where named backups live.
    public var backupDirectory: String { (try? value(Settings.backupDirectory)) ?? Settings.backupDirectory.defaultValue }

    /// `FLEXMEASURES_PLANNING_HORIZON`: how far schedules plan.
    public func planningHorizon() throws(SettingError) -> Timespan {
        try value(Settings.planningHorizon)
    }

    /// `FLEXMEASURES_PLANNING_TTL`: how long scheduling jobs and their plans are kept.
    public func planningTTL() throws(SettingError) -> Timespan {
        try value(Settings.planningTTL)
    }

    /// `SECRET_KEY`, which signs access tokens; nil when unset.
    public var secretKey: String? { nonEmpty(Settings.secretKey.name) }

    /// `SECURITY_TOKEN_MAX_AGE` in seconds (6 hours by default, as in the reference).
    public func tokenMaxAgeSeconds() throws(SettingError) -> Int64 {
        try value(Settings.tokenMaxAge)
    }

    /// `FLEXMEASURES_MAX_BODY_BYTES`: the largest request body (4 MiB by default, enough for a year of
    /// 15-minute values in one message).
    public func maximumBodyBytes() throws(SettingError) -> Int {
        Int(try value(Settings.maximumBodyBytes))
    }

    /// `FLEXMEASURES_HEADER_TIMEOUT`, `FLEXMEASURES_BODY_TIMEOUT`, `FLEXMEASURES_IDLE_TIMEOUT` (seconds) and
    /// `FLEXMEASURES_MAX_CONNECTIONS` (per listener): what a connection may cost the daemon.
    public func connectionLimits() throws(SettingError) -> ConnectionLimits {
        var limits = ConnectionLimits()
        limits.headerTimeoutSeconds = try value(Settings.headerTimeout)
        limits.bodyTimeoutSeconds = try value(Settings.bodyTimeout)
        limits.idleTimeoutSeconds = try value(Settings.idleTimeout)
        limits.maximumConnections = Int(try value(Settings.maximumConnections))
        return limits
    }

    /// The timezone new users get unless `--timezone` says otherwise.
    public var defaultTimezone: String {
        (try? value(Settings.timezone)) ?? Settings.timezone.defaultValue
    }

    /// bcrypt's cost for new password hashes (`FLEXMEASURES_BCRYPT_COST`, 4-31).
    public func bcryptCost() throws(SettingError) -> UInt8 {
        try value(Settings.bcryptCost)
    }

    /// `LOGGING_LEVEL`: DEBUG, INFO (the default), WARNING or ERROR, as the reference names them.
    func loggingLevel() throws(SettingError) -> Logger.Level {
        try value(Settings.loggingLevel)
    }

    func nonEmpty(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }
}

/// A setting with a value that cannot be used.
public struct SettingError: Error, CustomStringConvertible {
    public let name: String
    public let value: String
    public let expected: String

    public var description: String { "\(name)='\(value)' is not valid: expected \(expected)" }
}

extension SiteSettings {
    /// The API's settings. Without `SECRET_KEY`, tokens are signed with a random key and die when the
    /// process stops (said to `logger`, for the daemon; commands that issue no tokens pass none).
    func apiSettings(logger: Logger?) throws -> APISettings {
        let secret: [UInt8]
        if let key = secretKey {
            secret = Array(key.utf8)
        } else {
            logger?.warning("SECRET_KEY is not set: tokens are signed with a random key and die when the daemon stops")
            var generator = SystemRandomNumberGenerator()
            secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        var settings = APISettings(
            secretKey: secret, tokenMaxAge: .seconds(try tokenMaxAgeSeconds()), maximumBodyBytes: try maximumBodyBytes(),
            applianceVersion: Self.applianceVersion
        )
        settings.platformName = try value(Settings.platformName)
        settings.namingAuthorities = try value(Settings.hostsAndAuthStart)
        settings.cors = CORSPolicy(
            origins: try value(Settings.corsOrigins),
            resources: try value(Settings.corsResources),
            supportsCredentials: try value(Settings.corsCredentials)
        )
        settings.tokenHeader = try value(Settings.tokenHeader)
        return settings
    }

    /// The site's settings: planning, forecasting, backups and the bounds on one request's work.
    func siteSettings() throws -> Site.Settings {
        var settings = Site.Settings()
        settings.planningHorizon = try planningHorizon()
        settings.planningTTL = try planningTTL()
        settings.backupDirectory = backupDirectory
        settings.regressorDistanceKilometres = try value(Settings.regressorDistance)
        settings.forecastAfterMeterData = try value(Settings.forecastMeterData)
        settings.maximumSlotsPerRequest = Int(try value(Settings.maximumSlots))
        settings.maximumUpsampling = Int(try value(Settings.maximumUpsampling))
        settings.alertNoticeRetention = try value(Settings.alertRetention)
        return settings
    }
}

extension SiteSettings {
    /// Where alert notices go: mail when both `MAIL_SERVER` and `FLEXMEASURES_ALERT_MAIL_TO` are set, the
    /// webhook when `FLEXMEASURES_ALERT_WEBHOOK_URL` is; nil when neither (the notices stay in the outbox).
    func alertDelivery() throws(SettingError) -> AlertDelivery? {
        let recipients = try value(Settings.alertMailTo)
        let server = nonEmpty(Settings.mailServer.name)
        let webhookURL = nonEmpty(Settings.alertWebhookURL.name)
        if !recipients.isEmpty && server == nil {
            throw SettingError(name: Settings.mailServer.name, value: "", expected: "the SMTP server for the recipients of FLEXMEASURES_ALERT_MAIL_TO")
        }
        for recipient in recipients where !recipient.contains("@") {
            throw SettingError(name: Settings.alertMailTo.name, value: recipient, expected: "mail addresses such as ops@site.example, comma-separated")
        }
        let useTLS = try value(Settings.mailUseTLS)
        let useSSL = try value(Settings.mailUseSSL)
        if useTLS && useSSL {
            throw SettingError(name: "\(Settings.mailUseTLS.name)/\(Settings.mailUseSSL.name)", value: "true/true",
                               expected: "one of them: STARTTLS (MAIL_USE_TLS) or TLS on connect (MAIL_USE_SSL)")
        }
        let caFile = nonEmpty(Settings.alertCAFile.name)
        var smtp: SMTPConfiguration?
        if let server, !recipients.isEmpty {
            smtp = SMTPConfiguration(
                host: server, port: Int(try value(Settings.mailPort)), security: useSSL ? .implicitTLS : useTLS ? .startTLS : .none,
                username: nonEmpty(Settings.mailUsername.name), password: nonEmpty(Settings.mailPassword.name),
                trustedCertificatesFile: caFile
            )
        }
        var webhook: AlertDelivery.Webhook?
        if let webhookURL {
            do {
                _ = try WebhookClient(url: webhookURL)
            } catch {
                throw SettingError(name: Settings.alertWebhookURL.name, value: webhookURL, expected: "an http:// or https:// URL with a host")
            }
            webhook = AlertDelivery.Webhook(
                url: webhookURL, sendResolved: try value(Settings.alertWebhookSendResolved),
                timeout: .seconds(try value(Settings.alertWebhookTimeout))
            )
        }
        guard smtp != nil || webhook != nil else { return nil }
        let mailSendsResolved = try value(Settings.alertMailSendResolved)
        return AlertDelivery(
            mail: smtp.map { _ in AlertDelivery.Mail(recipients: recipients, sendResolved: mailSendsResolved) },
            webhook: webhook,
            transport: NetworkTransport(smtp: smtp, sender: try value(Settings.mailSender), trustedCertificatesFile: caFile)
        )
    }
}

/// How the list and table settings are written: as TOML arrays and inline tables arrive, or in the
/// reference's Python/JSON forms.
enum SettingParsers {
    /// `a,b`, or `["a", "b"]`.
    static func list(_ name: String) -> @Sendable (String) throws(SettingError) -> [String] {
        { raw throws(SettingError) in
            var text = raw.trimmingCharacters(in: .whitespaces)
            if text.hasPrefix("[") {
                guard text.hasSuffix("]") else { throw SettingError(name: name, value: text, expected: "[\"a\", \"b\"] or a,b") }
                text = String(text.dropFirst().dropLast())
            }
            return text.split(separator: ",").map { item in
                item.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            }.filter { !$0.isEmpty }
        }
    }

    /// `host=YYYY-MM,...`, or `{"flexmeasures.io": "2021-01"}`.
    @Sendable static func namingAuthorities(_ raw: String) throws(SettingError) -> [NamingAuthority] {
        let name = Settings.hostsAndAuthStart.name
        var text = raw.trimmingCharacters(in: .whitespaces)
        let expected = "hosts with the month their owner took them, e.g. {\"site.example\": \"2024-03\"} or site.example=2024-03"
        if text.hasPrefix("{") {
            guard text.hasSuffix("}") else { throw SettingError(name: name, value: text, expected: expected) }
            text = String(text.dropFirst().dropLast())
        }
        var authorities: [NamingAuthority] = []
        for entry in text.split(separator: ",") {
            let parts = entry.split(maxSplits: 1, whereSeparator: { $0 == ":" || $0 == "=" }).map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            }
            guard parts.count == 2, isHostName(parts[0]), isMonth(parts[1]) else {
                throw SettingError(name: name, value: text, expected: expected)
            }
            authorities.append(NamingAuthority(host: parts[0], month: parts[1]))
        }
        guard !authorities.isEmpty else { throw SettingError(name: name, value: text, expected: expected) }
        return authorities
    }

    private static func isHostName(_ text: String) -> Bool {
        !text.isEmpty && !text.hasPrefix(".") && !text.hasSuffix(".") && !text.contains("..")
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
    }

    private static func isMonth(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let month = Int(parts[1]), Int(parts[0]) != nil else {
            return false
        }
        return (1...12).contains(month)
    }
}

extension Logger {
    /// The daemon's logger on stderr (journald takes it from there), at `LOGGING_LEVEL`.
    static func daemon(level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: "flexmeasures")
        logger.logLevel = level
        return logger
    }
}

extension SiteSettings {
    /// The fleet uplink: nil unless `FLEXMEASURES_UPLINK_URL` is set; then `FLEXMEASURES_UPLINK_SITE` is needed,
    /// and the password comes from `FLEXMEASURES_UPLINK_PASSWORD_FILE` (its first line) or `FLEXMEASURES_UPLINK_PASSWORD`.
    func uplinkConfiguration() throws -> UplinkConfiguration? {
        guard let url = nonEmpty(Settings.uplinkURL.name) else { return nil }
        guard let site = nonEmpty(Settings.uplinkSite.name) else { throw UplinkConfigurationError.missingSiteName }
        var password = nonEmpty(Settings.uplinkPassword.name)
        if let path = nonEmpty(Settings.uplinkPasswordFile.name) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw UplinkConfigurationError.unreadablePasswordFile(path: path)
            }
            password = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map {
                String($0.hasSuffix("\r") ? $0.dropLast() : $0)
            }
        }
        return try UplinkConfiguration(url: url, password: password, siteName: site)
    }
}
