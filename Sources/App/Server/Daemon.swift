import API
import BeliefStore
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Jobs
import NIOSSL
import Logging
import Registry
import ServiceLifecycle

/// The running appliance: the API on TCP and/or a Unix socket, and the belief store's maintenance,
/// in one service group that SIGTERM drains.
public struct Daemon: Sendable {
    public let database: SiteDatabase
    public let bcryptCost: UInt8
    public let settings: APISettings
    public let tcp: ListenAddress?
    public let unixSocket: String?
    public let logger: Logger
    /// Certificate and key (PEM) for TLS on the TCP listener, if it faces the LAN.
    public var tls: (certificate: String, key: String)?

    public init(
        database: SiteDatabase, bcryptCost: UInt8, settings: APISettings, tcp: ListenAddress?, unixSocket: String?,
        logger: Logger
    ) {
        self.database = database
        self.bcryptCost = bcryptCost
        self.settings = settings
        self.tcp = tcp
        self.unixSocket = unixSocket
        self.logger = logger
    }

    /// Serves until SIGTERM or SIGINT, then drains the requests in flight.
    public func run() async throws {
        let store = BeliefStore(database: database)
        let jobs = JobQueue(database: database)
        let services = APIServices(
            registry: Registry(database: database, bcryptCost: bcryptCost), store: store, jobs: jobs, settings: settings
        )
        let responder = APIRouter.make(services: services).buildResponder()
        let notifier = SystemdNotifier()
        let readiness = Readiness(listeners: (tcp == nil ? 0 : 1) + (unixSocket == nil ? 0 : 1), notifier: notifier)
        var listeners: [any Service] = []
        if let tcp {
            let server: HTTPServerBuilder
            if let tls {
                let configuration = TLSConfiguration.makeServerConfiguration(
                    certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificate).map { .certificate($0) },
                    privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.key, format: .pem))
                )
                server = try .tls(.http1(), tlsConfiguration: configuration)
            } else {
                server = .http1()
            }
            let scheme = tls == nil ? "http" : "https"
            listeners.append(Application(
                responder: responder,
                server: server,
                configuration: .init(address: .hostname(tcp.host, port: tcp.port), serverName: "flexmeasures"),
                onServerRunning: { [logger, database] channel in
                    // The bound port, not the requested one: `--bind 127.0.0.1:0` picks a free port.
                    let port = channel.localAddress?.port ?? tcp.port
                    logger.info("listening on \(scheme)://\(ListenAddress(host: tcp.host, port: port)) with database \(database.path)")
                    readiness.listenerIsRunning()
                },
                logger: logger
            ))
        }
        if let unixSocket {
            listeners.append(Application(
                responder: responder,
                configuration: .init(address: .unixDomainSocket(path: unixSocket), serverName: "flexmeasures"),
                onServerRunning: { [logger] _ in
                    // Sockets are created with the process umask; gateways in the group may connect.
                    chmod(unixSocket, 0o660)
                    logger.info("listening on unix:\(unixSocket)")
                    readiness.listenerIsRunning()
                },
                logger: logger
            ))
        }
        let maintenance = BeliefStoreMaintenance(store: store, interval: .seconds(30), logger: logger)
        let scheduling = WorkerService(worker: Workers.scheduling(services: services, logger: logger))
        let forecasting = WorkerService(worker: Workers.forecasting(services: services, logger: logger))
        let watchdog = SystemdWatchdog(notifier: notifier, interval: SystemdNotifier.watchdogInterval())
        let group = ServiceGroup(
            configuration: .init(
                services: listeners.map { .init(service: $0) }
                    + [.init(service: maintenance), .init(service: scheduling), .init(service: forecasting), .init(service: watchdog)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }
}
