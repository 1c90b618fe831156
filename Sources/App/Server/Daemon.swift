import API
import BeliefStore
import Console
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Jobs
import NIOSSL
import Logging
import NIOCore
import Registry
import Site
import ServiceLifecycle
import Uplink

/// The running appliance: the API on TCP and/or a Unix socket, and the belief store's maintenance,
/// in one service group that SIGTERM drains.
public struct Daemon: Sendable {
    public let services: APIServices
    public let tcp: ListenAddress?
    public let unixSocket: String?
    public let logger: Logger
    /// Certificate and key (PEM) for TLS on the TCP listener, if it faces the LAN.
    public var tls: (certificate: String, key: String)?
    /// Timeouts of each connection and the budget of connections of each listener.
    public var connectionLimits = ConnectionLimits.default
    /// How often the alert timer runs (`FLEXMEASURES_ALERT_INTERVAL`).
    public var alertInterval: Duration = .seconds(30)
    /// The console's pages on the same listeners; nil serves the API alone.
    public var console: ConsoleServices?
    /// The fleet uplink (`FLEXMEASURES_UPLINK_URL`); nil keeps every belief on the site.
    public var uplink: UplinkConfiguration?
    /// Sockets systemd bound for the daemon; when there are any, they replace `tcp` and `unixSocket`.
    var inheritedSockets: [InheritedSocket] = []

    var listenerSockets: [ListenerSocket] {
        if !inheritedSockets.isEmpty { return inheritedSockets.map { .inherited($0) } }
        return (tcp.map { [.tcp($0)] } ?? []) + (unixSocket.map { [.unix(path: $0)] } ?? [])
    }

    public init(services: APIServices, tcp: ListenAddress?, unixSocket: String?, logger: Logger) {
        self.services = services
        self.tcp = tcp
        self.unixSocket = unixSocket
        self.logger = logger
    }

    /// Serves until SIGTERM or SIGINT, then drains the requests in flight.
    public func run() async throws {
        let database = services.store.database
        let dates = HTTPDateCache()
        let responder = APIHTTPResponder(
            responder: APIRouter.make(services: services).buildResponder(),
            console: try console.map { try ConsoleRouter.make(services: $0).buildResponder() }, logger: logger, dates: dates
        )
        let sockets = listenerSockets
        let notifier = SystemdNotifier()
        let readiness = Readiness(listeners: sockets.count, notifier: notifier)
        warnIfDescriptorsRunShort(listeners: sockets.count)
        // Hummingbird's idle timeout stays off: HTTPConnectionGuard keeps the clocks (its idle timeout would
        // restart with every byte of a trickled head).
        let http = HTTP1Channel(
            responder: responder.channelResponder,
            configuration: .init(
                idleTimeout: nil,
                httpDecoderConfiguration: .init(
                    maxHeaderFieldSize: ConnectionLimits.maximumHeaderFieldBytes,
                    maxHeaderListSize: ConnectionLimits.maximumHeaderBytes,
                    maxHeaderFieldCount: ConnectionLimits.maximumHeaderFields
                )
            )
        )
        let tlsConfiguration = try tls.map { tls in
            TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.key, format: .pem))
            )
        }
        let listeners: [any Service] = try sockets.map { socket in
            let onRunning: @Sendable (any Channel) async -> Void = { [logger, database] channel in
                switch socket {
                case .tcp(let address):
                    // The bound port, not the requested one: `--bind 127.0.0.1:0` picks a free port.
                    let bound = ListenAddress(host: address.host, port: channel.localAddress?.port ?? address.port)
                    logger.info("listening on \(tlsConfiguration == nil ? "http" : "https")://\(bound) with database \(database.path)")
                case .unix(let path):
                    // Sockets are created with the process umask; gateways in the group may connect.
                    chmod(path, 0o660)
                    logger.info("listening on unix:\(path)")
                case .inherited(let inherited):
                    let scheme = inherited.address.isTCP ? (tlsConfiguration == nil ? "http://" : "https://") : ""
                    logger.info("listening on \(scheme)\(inherited) (socket from systemd) with database \(database.path)")
                }
                readiness.listenerIsRunning()
            }
            if socket.isTCP, let tlsConfiguration {
                return HTTPListener(socket: socket, childChannel: try TLSChannel(http, tlsConfiguration: tlsConfiguration),
                                    limits: connectionLimits, logger: logger, onRunning: onRunning, dates: dates)
            }
            return HTTPListener(socket: socket, childChannel: http, limits: connectionLimits, logger: logger,
                                onRunning: onRunning, dates: dates)
        }
        let maintenance = BeliefStoreMaintenance(store: services.store, interval: .seconds(30), logger: logger)
        let workers = QueueName.allCases.map { queue in
            WorkerService(
                worker: Workers.worker(
                    for: queue, site: services.site, logger: logger,
                    timing: { [metrics = services.metrics] kind, duration, failed in metrics.recordJob(kind: kind, duration: duration, failed: failed) },
                    onEvent: { [workers = services.workers] _ in workers.heard(from: queue) }
                ),
                liveness: services.workers
            )
        }
        let alerts = AlertTimer(site: services.site, workers: services.workers, interval: alertInterval, logger: logger)
        let watchdog = SystemdWatchdog(notifier: notifier, interval: SystemdNotifier.watchdogInterval())
        let forwarding: [any Service] = try await uplinkServices()
        let group = ServiceGroup(
            configuration: .init(
                services: (listeners + [maintenance, alerts] + forwarding + workers + [watchdog]).map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
    }

    /// Every listener may fill its budget of connections; if the descriptors the process may open (systemd's
    /// `LimitNOFILE=`, else the shell's `ulimit -n`) cannot hold them all, accepts would fail before the
    /// budgets refuse anything.
    private func warnIfDescriptorsRunShort(listeners: Int) {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return }
        // The database, its WAL and journal files, the listening sockets, the event loops' descriptors.
        let (connections, overflow) = UInt64(listeners).multipliedReportingOverflow(by: UInt64(max(0, connectionLimits.maximumConnections)))
        let (withOthers, overflowAgain) = connections.addingReportingOverflow(64)
        let needed = overflow || overflowAgain ? .max : withOthers
        if UInt64(limit.rlim_cur) < needed {
            logger.warning("""
                \(listeners) listener(s) of up to \(connectionLimits.maximumConnections) connections need about \(needed) file \
                descriptors, but the process may open \(limit.rlim_cur): raise LimitNOFILE (ulimit -n) or lower FLEXMEASURES_MAX_CONNECTIONS
                """)
        }
    }

    /// With an uplink, its journal runs (started now, holding every belief stored so far, when it did not) and
    /// the forwarder with it; without one, a journal left from an earlier configuration is dropped, so that a
    /// site without an uplink stores nothing twice.
    private func uplinkServices() async throws -> [any Service] {
        let site = services.site
        guard let uplink else {
            let dropped = try await runBlocking { try site.stopUplinkJournal() }
            if dropped > 0 { logger.notice("uplink: not configured any more; its journal of \(dropped) waiting entries is dropped") }
            return []
        }
        if try await runBlocking({ try site.startUplinkJournal() }) {
            logger.notice("uplink: journal started; every belief stored so far waits to be forwarded to \(uplink.server)")
        }
        logger.info("uplink: forwarding to \(uplink.server) as site \(uplink.siteName)")
        return [UplinkService(forwarder: UplinkForwarder(site: site, configuration: uplink, logger: logger))]
    }
}

/// The forwarder as one of the daemon's services: it stops with the others on SIGTERM, its batch in flight
/// rolled back centrally and sent again by the next start.
struct UplinkService: Service, CustomStringConvertible {
    let forwarder: UplinkForwarder
    var description: String { "UplinkService(\(forwarder))" }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await forwarder.run()
        }
    }
}
