import API
import Console
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Where a listener takes its connections from.
enum ListenerSocket: Sendable, CustomStringConvertible {
    /// Binds `host:port` itself.
    case tcp(ListenAddress)
    /// Binds a Unix socket at `path` itself (replacing a stale one), and removes it on shutdown.
    case unix(path: String)
    /// A socket systemd bound, listens on and keeps (socket activation): served as it is, never removed.
    case inherited(InheritedSocket)

    var isTCP: Bool {
        switch self {
        case .tcp: true
        case .unix: false
        case .inherited(let socket): socket.address.isTCP
        }
    }

    var description: String {
        switch self {
        case .tcp(let address): "\(address)"
        case .unix(let path): "unix:\(path)"
        case .inherited(let socket): "\(socket) (from systemd)"
        }
    }
}

/// One HTTP/1.1 listener of the API: Hummingbird's channel handling on a socket we choose, so that a socket
/// handed over by systemd is served exactly like one the daemon bound. Each listener keeps its own budget of
/// connections, and each connection is held to the clocks and limits of `HTTPConnectionGuard`. SIGTERM stops
/// accepting, lets every request in flight finish and its connection close, then returns.
struct HTTPListener<ChildChannel: ServerChildChannel>: Service {
    let socket: ListenerSocket
    let childChannel: ChildChannel
    let limits: ConnectionLimits
    let logger: Logger
    /// Runs once the socket accepts connections, with the bound server channel.
    let onRunning: @Sendable (any Channel) async -> Void
    /// The daemon's one cache of the `Date` header, shared with its responder.
    let dates: HTTPDateCache
    var eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton

    func run() async throws {
        let quiescing = ServerQuiescingHelper(group: eventLoopGroup)
        let bootstrap = ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.allowRemoteHalfClosure, value: true)
            .serverChannelInitializer { [limits, socket, logger] channel in
                channel.eventLoop.makeCompletedFuture {
                    // Ahead of the quiescing handler: a connection over the budget is closed before anything
                    // (including shutdown) keeps track of it.
                    try channel.pipeline.syncOperations.addHandler(
                        ConnectionBudgetHandler(maximum: limits.maximumConnections, listener: socket, logger: logger)
                    )
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
        let setup: @Sendable (any Channel) -> EventLoopFuture<ChildChannel.Value> = { [childChannel, limits, logger, dates] channel in
            childChannel.setup(channel: channel, logger: logger).assumeIsolated().flatMapThrowing { value in
                try HTTPConnectionGuard.install(in: channel, limits: limits, logger: logger, dates: dates)
                return value
            }.nonisolated()
        }
        let server: NIOAsyncChannel<ChildChannel.Value, Never>
        switch socket {
        case .tcp(let address):
            server = try await bootstrap.bind(
                host: address.host, port: address.port, serverBackPressureStrategy: nil, childChannelInitializer: setup
            )
        case .unix(let path):
            server = try await bootstrap.bind(
                unixDomainSocketPath: path, cleanupExistingSocketFile: true, serverBackPressureStrategy: nil,
                childChannelInitializer: setup
            )
        case .inherited(let inherited):
            server = try await bootstrap.bind(
                inherited.descriptor, serverBackPressureStrategy: nil, childChannelInitializer: setup
            )
        }
        await withGracefulShutdownHandler {
            await onRunning(server.channel)
            await withDiscardingTaskGroup { connections in
                do {
                    try await server.executeThenClose { inbound in
                        for try await connection in inbound {
                            connections.addTask { await childChannel.handle(value: connection, logger: logger) }
                        }
                    }
                } catch {
                    logger.error("listener \(socket) stopped accepting: \(error)")
                }
            }
        } onGracefulShutdown: {
            // Closes the listening socket and lets each connection finish its request; the task group above
            // returns once the last one has closed.
            let drained = server.channel.eventLoop.makePromise(of: Void.self)
            quiescing.initiateShutdown(promise: drained)
        }
        if case .unix(let path) = socket {
            unlink(path)
        }
    }
}

/// Answers each HTTP request with the API router, as Hummingbird's `Application` would: every request gets a
/// `Date` and `Server` header, and an error no route turned into an answer becomes a JSON 500.
struct APIHTTPResponder: Sendable {
    let responder: RouterResponder<APIContext>
    let logger: Logger
    static let serverName = "flexmeasures"
    let dates: HTTPDateCache

    init(responder: RouterResponder<APIContext>, logger: Logger, dates: HTTPDateCache) {
        self.responder = responder
        self.logger = logger
        self.dates = dates
    }

    /// A response failed to be written after the request turned out malformed: the connection is closed
    /// instead of answering twice.
    struct ParseErrorWhileWritingResponse: Error {}

    /// HEAD is answered as GET would be, without the body: the same status and headers, `Content-Length`
    /// included (RFC 9110 9.3.2), so that every GET route answers HEAD too.
    var channelResponder: HTTPChannelHandler.Responder {
        { [responder, logger, dates] request, writer, channel in
            var requestLogger = logger
            requestLogger[metadataKey: "hb.request.id"] = .stringConvertible(RequestID())
            let context = APIContext(source: .init(channel: channel, logger: requestLogger))
            let isHead = request.method == .head
            var routed = request
            if isHead {
                var head = request.head
                head.method = .get
                routed = Request(head: head, body: request.body)
            }
            var response: Response
            do {
                // The console's static files, until the console's router is mounted beside the API's.
                if let name = StaticFiles.name(requestedBy: routed.uri.path) {
                    response = StaticFiles.response(named: name, to: routed)
                } else {
                    response = try await responder.respond(to: routed, context: context)
                }
            } catch let error as HTTPParserError {
                throw error
            } catch {
                requestLogger.error("unanswered error: \(error)")
                response = APIError.internalServerError().response
            }
            response.headers[.date] = dates.current()
            response.headers[.server] = Self.serverName
            do {
                try await writer.write(response: response.head, body: isHead ? ResponseBody() : response.body)
            } catch is HTTPParserError {
                throw ParseErrorWhileWritingResponse()
            }
        }
    }
}

/// The IMF-fixdate of the current second (RFC 9110 5.6.7), formatted once per second however many answers use it.
final class HTTPDateCache: Sendable {
    private let cache = Mutex<(second: Int, text: String)>((-1, ""))

    func current() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let second = now.tv_sec
        return cache.withLock { cached in
            if cached.second != second {
                cached = (second, Self.format(epochSecond: second))
            }
            return cached.text
        }
    }

    static func format(epochSecond: Int) -> String {
        var time = time_t(epochSecond)
        var parts = tm()
        gmtime_r(&time, &parts)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(weekdays[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
