import Logging
import NIOCore

/// Keeps one listener's open connections within its budget: an accepted connection beyond it is closed at
/// once, before any handler is set up for it, so a flood on one listener (TCP) leaves the others (the Unix
/// socket) their own room. Sits in the listening channel's pipeline, ahead of the accept handler.
final class ConnectionBudgetHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = any Channel
    typealias InboundOut = any Channel

    private let maximum: Int
    private let listener: ListenerSocket
    private let logger: Logger
    private var open = 0
    /// When the last refusal was logged: a flood is logged once a minute, not once a connection.
    private var lastWarning: NIODeadline?
    private var refusedSinceWarning = 0

    init(maximum: Int, listener: ListenerSocket, logger: Logger) {
        self.maximum = maximum
        self.listener = listener
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let connection = unwrapInboundIn(data)
        guard open < maximum else {
            connection.close(promise: nil)
            refused(boundPort: context.channel.localAddress?.port)
            return
        }
        open += 1
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        connection.closeFuture.hop(to: context.eventLoop).whenComplete { _ in
            handler.value.open -= 1
        }
        context.fireChannelRead(data)
    }

    private func refused(boundPort: Int?) {
        refusedSinceWarning += 1
        let now = NIODeadline.now()
        if let lastWarning, now - lastWarning < .minutes(1) { return }
        var name = "\(listener)"
        if case .tcp(let address) = listener, let boundPort {
            name = "\(ListenAddress(host: address.host, port: boundPort))"
        }
        logger.warning("listener \(name) has \(open) connections open, its limit (FLEXMEASURES_MAX_CONNECTIONS): closed \(refusedSinceWarning) new one(s) at once")
        lastWarning = now
        refusedSinceWarning = 0
    }
}
