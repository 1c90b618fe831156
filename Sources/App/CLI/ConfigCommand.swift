import ArgumentParser
import Site

/// `flexmeasures config show`: the effective configuration.
struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Show the effective configuration.",
        subcommands: [Show.self]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every setting with its value and where it comes from; secrets masked.",
            discussion: "Settings come from the configuration file (TOML) and the environment; the environment wins."
        )

        @OptionGroup var database: DatabaseOptions

        /// The settings the appliance reads, with their defaults.
        static let known: [(name: String, fallback: String)] = [
            ("FLEXMEASURES_ENV", "production"), ("FLEXMEASURES_DB", SiteSettings.defaultDatabasePath),
            ("FLEXMEASURES_BIND", SiteSettings.defaultBind), ("FLEXMEASURES_UNIX_SOCKET", "(none)"),
            ("SECRET_KEY", "(none)"), ("SECURITY_TOKEN_MAX_AGE", "21600"), ("FLEXMEASURES_TIMEZONE", "UTC"),
            ("FLEXMEASURES_PLANNING_HORIZON", "PT48H"), ("FLEXMEASURES_PLANNING_TTL", "P7D"),
            ("FLEXMEASURES_MAX_BODY_BYTES", "4194304"),
            ("FLEXMEASURES_MAX_SLOTS_PER_REQUEST", String(Site.Settings.defaultMaximumSlotsPerRequest)),
            ("FLEXMEASURES_MAX_UPSAMPLING", String(Site.Settings.defaultMaximumUpsampling)),
            ("FLEXMEASURES_HEADER_TIMEOUT", "\(ConnectionLimits.default.headerTimeoutSeconds)"),
            ("FLEXMEASURES_BODY_TIMEOUT", "\(ConnectionLimits.default.bodyTimeoutSeconds)"),
            ("FLEXMEASURES_IDLE_TIMEOUT", "\(ConnectionLimits.default.idleTimeoutSeconds)"),
            ("FLEXMEASURES_MAX_CONNECTIONS", "\(ConnectionLimits.default.maximumConnections)"),
            ("FLEXMEASURES_DB_BACKUP_PATH", "var/backups"),
            ("FLEXMEASURES_FORECAST_METER_DATA", "true"), ("FLEXMEASURES_REGRESSOR_DISTANCE_KM", "100"),
            ("FLEXMEASURES_BCRYPT_COST", "12"), ("LOGGING_LEVEL", "INFO"),
            ("FLEXMEASURES_TLS_CERT", "(none)"), ("FLEXMEASURES_TLS_KEY", "(none)"),
            ("FLEXMEASURES_PLATFORM_NAME", "FlexMeasures"), ("FLEXMEASURES_HOSTS_AND_AUTH_START", "flexmeasures.io=2021-01"),
            ("CORS_ORIGINS", "(none)"), ("CORS_RESOURCES", "/api/*"), ("CORS_SUPPORTS_CREDENTIALS", "true"),
            ("SECURITY_TOKEN_AUTHENTICATION_HEADER", "Authorization"),
        ]

        static let secrets: Set<String> = ["SECRET_KEY"]

        func run() throws {
            let settings = try database.settings
            print("# configuration file: \(settings.configFile ?? "(none)")")
            for setting in Self.known {
                let value = settings.environment[setting.name].flatMap { $0.isEmpty ? nil : $0 }
                let shown = value.map { Self.secrets.contains(setting.name) ? "********" : $0 } ?? setting.fallback
                let origin = value == nil ? "default" : settings.origins[setting.name] ?? "environment"
                print("\(setting.name) = \(shown)    # \(origin)")
            }
        }
    }
}
