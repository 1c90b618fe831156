import API
import Console
import ArgumentParser
import BeliefStore
import Foundation
import Logging
import Registry
import Site
import Uplink

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: migrate the database if needed and serve the API.",
        discussion: """
            Listens on TCP (--bind, default 127.0.0.1:5000), on a Unix socket (--unix-socket, mode 0660), \
            or both. With only a Unix socket configured, TCP stays off unless --bind is given too. \
            Started by systemd's flexmeasures.socket, it serves the sockets systemd passes (LISTEN_FDS) \
            instead. Stops cleanly on SIGTERM or SIGINT, finishing the requests in flight.
            """
    )

    @Option(help: ArgumentHelp(
        "TCP listener (default: $FLEXMEASURES_BIND, else 127.0.0.1:5000; none for no TCP).", valueName: "host:port"))
    var bind: String?
    @Option(name: .customLong("unix-socket"), help: ArgumentHelp(
        "Unix domain socket to listen on (default: $FLEXMEASURES_UNIX_SOCKET).", valueName: "path"))
    var unixSocket: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let settings = try database.settings
        guard settings.secretKey != nil || settings.isDevelopment else {
            throw UsageFailure("""
                SECRET_KEY is not set: it signs the access tokens. Make one with
                  head -c 32 /dev/urandom | base64
                and set it in the environment or as SECRET_KEY = "..." in the configuration file \
                (or set FLEXMEASURES_ENV=development to run with a key that dies with the daemon)
                """)
        }
        let socket = settings.unixSocket(flag: unixSocket)
        let address = try settings.bind(flag: bind, unixSocket: socket).map { text throws(SettingError) in
            try ListenAddress(parsing: text)
        }
        let logger = Logger.daemon(level: try settings.loggingLevel())
        let connectionLimits = try settings.connectionLimits()
        var daemon = Daemon(
            services: try database.services(settings: settings, logger: logger), tcp: address, unixSocket: socket, logger: logger
        )
        daemon.tls = try settings.tlsFiles()
        daemon.console = try settings.consoleServices(site: daemon.services.site, secure: daemon.tls != nil)
        daemon.connectionLimits = connectionLimits
        daemon.alertInterval = .seconds(try settings.value(Settings.alertInterval))
        do {
            daemon.uplink = try settings.uplinkConfiguration()
        } catch let error as UplinkConfigurationError {
            throw UsageFailure(error.description)
        }
        try await settings.applyAlertRules(to: daemon.services.site, logger: logger)
        do {
            daemon.inheritedSockets = try SocketActivation.inheritedSockets()
        } catch {
            throw CommandFailure("socket activation: \(error)")
        }
        try await daemon.run()
    }
}

extension DatabaseOptions {
    /// Everything the API works with, over this database; `logger` hears of a missing SECRET_KEY (the
    /// daemon's, which issues tokens).
    func services(settings known: SiteSettings? = nil, logger: Logger? = nil) throws -> APIServices {
        let settings = try known ?? self.settings
        return APIServices(site: try site(settings: settings, delivering: true), settings: try settings.apiSettings(logger: logger))
    }
}

extension SiteSettings {
    /// The console's services over the daemon's site; cookies are `Secure` when the TCP listener has TLS.
    func consoleServices(site: Site, secure: Bool) throws -> ConsoleServices {
        var console = ConsoleSettings()
        console.platformName = try value(Settings.platformName)
        console.sessionLifetime = .seconds(try value(Settings.sessionLifetime))
        console.secureCookies = secure
        console.demoMode = try value(Settings.mode)
        console.demoCredentials = try value(Settings.demoCredentials)
        console.demoYear = try value(Settings.demoYear)
        console.addressPrefix = try value(Settings.hostsAndAuthStart).first?.addressPrefix ?? console.addressPrefix
        return ConsoleServices(site: site, settings: console)
    }

    /// Makes the site's configured alert rules those of the configuration file's `[[alert_rule]]` tables
    /// (when a file was read); a bad rule stops the start, naming its line.
    func applyAlertRules(to site: Site, logger: Logger?) async throws {
        guard let path = configFile else { return }
        do {
            let report = try await site.applyConfiguredAlertRules(alertRules.map { .object($0.fields) })
            if report.added + report.changed + report.removed > 0 {
                logger?.info("alert rules of \(path): \(report.added) added, \(report.changed) changed, \(report.removed) removed")
            }
        } catch let error as ConfiguredAlertRuleError {
            throw UsageFailure("\(path) line \(alertRules[error.index].line): the [[alert_rule]] there cannot be used: \(error.description)")
        }
    }
}
