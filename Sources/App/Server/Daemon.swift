import API
import BeliefStore
import Hummingbird
import Logging

/// The running appliance: the HTTP listener over the site database.
public struct Daemon: Sendable {
    public let database: SiteDatabase
    public let address: ListenAddress
    public let logger: Logger

    public init(database: SiteDatabase, address: ListenAddress, logger: Logger) {
        self.database = database
        self.address = address
        self.logger = logger
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router()
        PublicRoutes.register(on: router, applianceVersion: SiteSettings.applianceVersion)
        return router
    }

    /// Serves until SIGTERM or SIGINT, then drains the requests in flight.
    public func run() async throws {
        let store = BeliefStore(database: database)
        let maintenance = BeliefStoreMaintenance(store: store, interval: .seconds(30), logger: logger)
        let app = Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "flexmeasures"),
            services: [maintenance],
            onServerRunning: { [logger, database] channel in
                // The bound port, not the requested one: `--bind 127.0.0.1:0` picks a free port.
                let port = channel.localAddress?.port ?? address.port
                logger.info("listening on http://\(ListenAddress(host: address.host, port: port)) with database \(database.path)")
            },
            logger: logger
        )
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}
