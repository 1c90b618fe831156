import ArgumentParser
import Logging

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon: migrate the database if needed and serve the API.",
        discussion: "Stops cleanly on SIGTERM or SIGINT, finishing the requests in flight."
    )

    @Option(help: ArgumentHelp(
        "TCP listener (default: $FLEXMEASURES_BIND, else 127.0.0.1:5000).", valueName: "host:port"))
    var bind: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let address = try ListenAddress(parsing: database.settings.bind(flag: bind))
        let site = try database.open(policy: .upgrade)
        var logger = Logger(label: "flexmeasures")
        logger.logLevel = .info
        let daemon = Daemon(database: site, address: address, logger: logger)
        try await daemon.run()
    }
}
