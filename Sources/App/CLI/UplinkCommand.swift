import ArgumentParser
import Beliefs
import Foundation
import Logging
import Site
import Uplink

/// `flexmeasures uplink ...`: the fleet uplink to a central PostgreSQL.
struct UplinkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uplink",
        abstract: "Create the central fleet schema, show the uplink's state, or forward what waits now.",
        discussion: """
            The uplink forwards every belief the site stores to a central PostgreSQL in the timely-beliefs \
            layout (schema fleet: site, sensor, data_source, timed_belief), store and forward. Configure it \
            with FLEXMEASURES_UPLINK_URL, FLEXMEASURES_UPLINK_SITE and FLEXMEASURES_UPLINK_PASSWORD_FILE (or \
            FLEXMEASURES_UPLINK_PASSWORD); the daemon forwards while it runs.
            """,
        subcommands: [Init.self, Status.self, Push.self, Resend.self]
    )

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create or upgrade the fleet schema on the central server (safe to run again, and from several sites at once)."
        )

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let configuration = try database.uplinkConfiguration()
            let logger = Logger(label: "flexmeasures.uplink")
            do {
                let report = try await UplinkSetup.migrateCentralSchema(configuration, logger: logger)
                if report.applied.isEmpty {
                    print("The fleet schema at \(configuration.server) is up to date (version \(report.versionAfter)).")
                } else {
                    print("The fleet schema at \(configuration.server) went from version \(report.versionBefore) to \(report.versionAfter).")
                }
            } catch let error as UplinkError {
                throw CommandFailure(error.description)
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show the uplink's backlog, last success and last error, as the site database records them."
        )

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let settings = try database.settings
            let configuration = try database.uplinkConfiguration(required: false, settings: settings)
            let site = try database.site(settings: settings)
            print("uplink:            \(configuration.map { "\($0.server) as site \($0.siteName)" } ?? "not configured (FLEXMEASURES_UPLINK_URL)")")
            guard let status = try site.uplinkStatus() else {
                print("journal:           not running (the daemon starts it when an uplink is configured)")
                return
            }
            let now = site.clock()
            print("stream:            \(status.streamID), started \(status.started.iso8601)")
            print("forwarded:         \(status.forwardedBeliefs) beliefs")
            print("waiting:           \(status.backlogBeliefs) beliefs in \(status.backlogEntries) entries, oldest \(status.backlogAge(at: now).iso8601) old")
            print("last success:      \(status.lastForwarded?.iso8601 ?? "never")")
            print("last attempt:      \(status.lastAttempt?.iso8601 ?? "never")")
            print("last error:        \(status.lastError ?? "none")")
        }
    }

    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "push",
            abstract: "Forward everything waiting now, in this process, and say how much went.",
            discussion: "Starts the journal first when it does not run (every belief stored so far then waits)."
        )

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let settings = try database.settings
            let configuration = try database.uplinkConfiguration(settings: settings)
            let site = try database.site(settings: settings)
            if try site.startUplinkJournal() {
                print("Started the uplink journal: every belief stored so far waits to be forwarded.")
            }
            let started = ContinuousClock.now
            do {
                let progress = try await UplinkForwarder(site: site, configuration: configuration, logger: Logger(label: "flexmeasures.uplink"))
                    .forwardWaiting()
                let seconds = Double((ContinuousClock.now - started).components.attoseconds) / 1e18
                    + Double((ContinuousClock.now - started).components.seconds)
                print("Forwarded \(progress.beliefs) beliefs (\(progress.entries) journal entries, \(progress.batches) batches) in \(String(format: "%.2f", seconds)) s.")
            } catch let error as UplinkError {
                throw CommandFailure(error.description)
            }
        }
    }
    struct Resend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resend",
            abstract: "Start the uplink's stream anew: the central server's beliefs of this site are replaced by every belief it stores.",
            discussion: """
                For a server restored from a backup, or a name another site took by mistake (once that site has a name \
                of its own). The daemon, or `uplink push`, sends the new stream.
                """
        )

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let settings = try database.settings
            _ = try database.uplinkConfiguration(settings: settings)
            let site = try database.site(settings: settings)
            let dropped = try site.stopUplinkJournal()
            try site.startUplinkJournal()
            let waiting = try site.uplinkStatus()?.backlogBeliefs ?? 0
            print("Started a new stream (\(dropped) entries of the old one dropped): \(max(waiting - 1, 0)) beliefs wait to be sent, after a deletion of what the server holds of this site.")
        }
    }
}

extension DatabaseOptions {
    /// The uplink's settings; a usage failure when they are missing (unless not `required`) or unusable.
    func uplinkConfiguration(settings known: SiteSettings? = nil) throws -> UplinkConfiguration {
        guard let configuration = try uplinkConfiguration(required: true, settings: known) else {
            throw UsageFailure("FLEXMEASURES_UPLINK_URL is not set: it names the central PostgreSQL (postgres://user@host:5432/database)")
        }
        return configuration
    }

    func uplinkConfiguration(required: Bool, settings known: SiteSettings? = nil) throws -> UplinkConfiguration? {
        do {
            return try (known ?? settings).uplinkConfiguration()
        } catch let error as UplinkConfigurationError {
            throw UsageFailure(error.description)
        }
    }
}
