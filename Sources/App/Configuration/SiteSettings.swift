import API
import Beliefs
import Foundation
import Logging
import Registry
import Site

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

    /// Settings from the configuration file (`--config`, else `FLEXMEASURES_CONFIG`, else the first of
    /// /etc/flexmeasures/flexmeasures.toml and ~/.flexmeasures.toml that exists), with the environment's
    /// variables of the same names winning over it.
    init(configFlag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let named = configFlag ?? environment["FLEXMEASURES_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        let path = named ?? ConfigFile.defaultPaths.first { FileManager.default.fileExists(atPath: $0) }
        var merged: [String: String] = [:]
        var origins: [String: String] = [:]
        if let path {
            let file: ConfigFile
            do {
                file = try ConfigFile(path: path)
            } catch let error as ConfigFile.Invalid {
                throw SettingError(name: "configuration file", value: path, expected: "a readable TOML file of settings (\(error.description))")
            }
            merged = file.values
            origins = file.values.mapValues { _ in path }
        }
        for (key, value) in environment {
            merged[key] = value
            origins[key] = "environment"
        }
        self.environment = merged
        self.origins = origins
        configFile = path
    }

    /// Development mode (`FLEXMEASURES_ENV` or the reference's `FLASK_ENV` set to development) lets the
    /// daemon start without `SECRET_KEY`.
    public var isDevelopment: Bool {
        (nonEmpty("FLEXMEASURES_ENV") ?? nonEmpty("FLASK_ENV"))?.lowercased() == "development"
    }

    /// `--db`, else `FLEXMEASURES_DB`, else `./var/flexmeasures.db`.
    public func databasePath(flag: String?) -> String {
        flag ?? nonEmpty("FLEXMEASURES_DB") ?? Self.defaultDatabasePath
    }

    /// The TCP listener: `--bind`, else `FLEXMEASURES_BIND`; else 127.0.0.1:5000 unless a Unix socket
    /// is configured (then the socket alone). `none` turns TCP off.
    public func bind(flag: String?, unixSocket: String?) -> String? {
        let configured = flag ?? nonEmpty("FLEXMEASURES_BIND")
        if configured?.lowercased() == "none" { return nil }
        return configured ?? (unixSocket == nil ? Self.defaultBind : nil)
    }

    /// `--unix-socket`, else `FLEXMEASURES_UNIX_SOCKET`, else none.
    public func unixSocket(flag: String?) -> String? {
        flag ?? nonEmpty("FLEXMEASURES_UNIX_SOCKET")
    }

    /// `FLEXMEASURES_TLS_CERT` and `FLEXMEASURES_TLS_KEY`: PEM files that turn TLS on for the TCP
    /// listener (for a listener on the site's LAN; loopback and the Unix socket do without).
    public func tlsFiles() throws(SettingError) -> (certificate: String, key: String)? {
        let certificate = nonEmpty("FLEXMEASURES_TLS_CERT")
        let key = nonEmpty("FLEXMEASURES_TLS_KEY")
        switch (certificate, key) {
        case (nil, nil): return nil
        case let (certificate?, key?): return (certificate, key)
        default:
            throw SettingError(name: "FLEXMEASURES_TLS_CERT/FLEXMEASURES_TLS_KEY", value: certificate ?? key ?? "",
                               expected: "both a certificate and a private key (PEM files), or neither")
        }
    }

    /// `FLEXMEASURES_DB_BACKUP_PATH`: where named backups live (default `./var/backups`).
    public var backupDirectory: String { nonEmpty("FLEXMEASURES_DB_BACKUP_PATH") ?? "var/backups" }

    /// `FLEXMEASURES_PLANNING_HORIZON`: how far schedules plan, an ISO 8601 duration (default PT48H).
    public func planningHorizon() throws(SettingError) -> Timespan {
        try duration("FLEXMEASURES_PLANNING_HORIZON", default: .hours(48))
    }

    /// `FLEXMEASURES_PLANNING_TTL`: how long scheduling jobs and their plans are kept (default P7D).
    public func planningTTL() throws(SettingError) -> Timespan {
        try duration("FLEXMEASURES_PLANNING_TTL", default: .days(7))
    }

    private func duration(_ name: String, default value: Timespan) throws(SettingError) -> Timespan {
        guard let text = nonEmpty(name) else { return value }
        guard let parsed = try? Timespan.parseISO8601(text), parsed != .zero else {
            throw SettingError(name: name, value: text, expected: "an ISO 8601 duration such as PT48H or P7D")
        }
        return parsed
    }

    /// `SECRET_KEY`, which signs access tokens; nil when unset.
    public var secretKey: String? { nonEmpty("SECRET_KEY") }

    /// `SECURITY_TOKEN_MAX_AGE` in seconds (default 6 hours, as in the reference).
    public func tokenMaxAgeSeconds() throws(SettingError) -> Int64 {
        try positiveInteger("SECURITY_TOKEN_MAX_AGE", default: 6 * 3600, atMost: 10 * 366 * 24 * 3600)
    }

    /// `FLEXMEASURES_MAX_BODY_BYTES`: the largest request body (default 4 MiB, enough for a year of
    /// 15-minute values in one message).
    public func maximumBodyBytes() throws(SettingError) -> Int {
        Int(try positiveInteger("FLEXMEASURES_MAX_BODY_BYTES", default: 4 * 1024 * 1024, atMost: 1 << 30))
    }

    /// `FLEXMEASURES_HEADER_TIMEOUT`, `FLEXMEASURES_BODY_TIMEOUT`, `FLEXMEASURES_IDLE_TIMEOUT` (seconds) and
    /// `FLEXMEASURES_MAX_CONNECTIONS` (per listener): what a connection may cost the daemon.
    public func connectionLimits() throws(SettingError) -> ConnectionLimits {
        let defaults = ConnectionLimits.default
        var limits = ConnectionLimits()
        limits.headerTimeoutSeconds = try positiveInteger("FLEXMEASURES_HEADER_TIMEOUT", default: defaults.headerTimeoutSeconds, atMost: 86_400)
        limits.bodyTimeoutSeconds = try positiveInteger("FLEXMEASURES_BODY_TIMEOUT", default: defaults.bodyTimeoutSeconds, atMost: 86_400)
        limits.idleTimeoutSeconds = try positiveInteger("FLEXMEASURES_IDLE_TIMEOUT", default: defaults.idleTimeoutSeconds, atMost: 86_400)
        limits.maximumConnections = Int(try positiveInteger("FLEXMEASURES_MAX_CONNECTIONS", default: Int64(defaults.maximumConnections), atMost: 1_000_000))
        return limits
    }

    private func positiveInteger(_ name: String, default value: Int64, atMost maximum: Int64 = .max) throws(SettingError) -> Int64 {
        guard let text = nonEmpty(name) else { return value }
        guard let number = Int64(text), number > 0, number <= maximum else {
            throw SettingError(
                name: name, value: text,
                expected: maximum == .max ? "a whole number above zero" : "a whole number from 1 to \(maximum)"
            )
        }
        return number
    }

    /// The timezone new users get unless `--timezone` says otherwise.
    public var defaultTimezone: String {
        nonEmpty("FLEXMEASURES_TIMEZONE") ?? "UTC"
    }

    /// bcrypt's cost for new password hashes (`FLEXMEASURES_BCRYPT_COST`, 4-31, default 12).
    public func bcryptCost() throws(SettingError) -> UInt8 {
        guard let text = nonEmpty("FLEXMEASURES_BCRYPT_COST") else { return PasswordHasher.defaultCost }
        guard let cost = UInt8(text), PasswordHasher.allowedCosts.contains(cost) else {
            throw SettingError(name: "FLEXMEASURES_BCRYPT_COST", value: text, expected: "a whole number from 4 to 31")
        }
        return cost
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
    /// The API's settings from the environment. Without `SECRET_KEY`, tokens are signed with a random
    /// key and die when the process stops (said to `logger`, for the daemon; commands that issue no
    /// tokens pass none).
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
        settings.platformName = nonEmpty("FLEXMEASURES_PLATFORM_NAME") ?? "FlexMeasures"
        settings.namingAuthorities = try namingAuthorities()
        settings.cors = CORSPolicy(
            origins: try list("CORS_ORIGINS") ?? [],
            resources: try list("CORS_RESOURCES") ?? ["/api/*"],
            supportsCredentials: try boolean("CORS_SUPPORTS_CREDENTIALS", default: true)
        )
        if let header = nonEmpty("SECURITY_TOKEN_AUTHENTICATION_HEADER") {
            guard header.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw SettingError(name: "SECURITY_TOKEN_AUTHENTICATION_HEADER", value: header, expected: "an HTTP header name such as Authorization")
            }
            settings.tokenHeader = header
        }
        return settings
    }

    /// The site's settings: planning, forecasting, backups and the bounds on one request's work.
    func siteSettings() throws -> Site.Settings {
        var settings = Site.Settings()
        settings.planningHorizon = try planningHorizon()
        settings.planningTTL = try planningTTL()
        settings.backupDirectory = backupDirectory
        if let distance = nonEmpty("FLEXMEASURES_REGRESSOR_DISTANCE_KM") {
            guard let kilometres = Double(distance), kilometres >= 0 else {
                throw SettingError(name: "FLEXMEASURES_REGRESSOR_DISTANCE_KM", value: distance, expected: "a distance in kilometres")
            }
            settings.regressorDistanceKilometres = kilometres
        }
        settings.forecastAfterMeterData = try boolean("FLEXMEASURES_FORECAST_METER_DATA", default: true)
        settings.maximumSlotsPerRequest = Int(try positiveInteger(
            "FLEXMEASURES_MAX_SLOTS_PER_REQUEST", default: Int64(Site.Settings.defaultMaximumSlotsPerRequest), atMost: 100_000_000
        ))
        settings.maximumUpsampling = Int(try positiveInteger(
            "FLEXMEASURES_MAX_UPSAMPLING", default: Int64(Site.Settings.defaultMaximumUpsampling), atMost: 1_000_000
        ))
        return settings
    }

    private func boolean(_ name: String, default value: Bool) throws(SettingError) -> Bool {
        guard let text = nonEmpty(name) else { return value }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw SettingError(name: name, value: text, expected: "true or false")
        }
    }

    /// A list setting: `a,b` (as TOML arrays arrive), or the reference's Python/JSON form `["a", "b"]`.
    func list(_ name: String) throws(SettingError) -> [String]? {
        guard var text = nonEmpty(name)?.trimmingCharacters(in: .whitespaces) else { return nil }
        if text.hasPrefix("[") {
            guard text.hasSuffix("]") else { throw SettingError(name: name, value: text, expected: "[\"a\", \"b\"] or a,b") }
            text = String(text.dropFirst().dropLast())
        }
        let items = text.split(separator: ",").map { item in
            item.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }.filter { !$0.isEmpty }
        return items
    }

    /// `FLEXMEASURES_HOSTS_AND_AUTH_START`: `host=YYYY-MM,...` (as a TOML inline table arrives), or the
    /// reference's form `{"flexmeasures.io": "2021-01"}`. The default is the reference's.
    func namingAuthorities() throws(SettingError) -> [NamingAuthority] {
        let name = "FLEXMEASURES_HOSTS_AND_AUTH_START"
        guard var text = nonEmpty(name)?.trimmingCharacters(in: .whitespaces) else {
            return [NamingAuthority(host: "flexmeasures.io", month: "2021-01")]
        }
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
            guard parts.count == 2, Self.isHostName(parts[0]), Self.isMonth(parts[1]) else {
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

extension SiteSettings {
    /// `LOGGING_LEVEL`: DEBUG, INFO (the default), WARNING or ERROR, as the reference names them.
    func loggingLevel() throws(SettingError) -> Logger.Level {
        guard let text = nonEmpty("LOGGING_LEVEL") else { return .info }
        switch text.uppercased() {
        case "DEBUG": return .debug
        case "INFO": return .info
        case "WARNING", "WARN": return .warning
        case "ERROR": return .error
        case "CRITICAL": return .critical
        default: throw SettingError(name: "LOGGING_LEVEL", value: text, expected: "DEBUG, INFO, WARNING or ERROR")
        }
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
