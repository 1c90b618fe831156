import API
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import Site

/// Holds one HTTP/1.1 connection to what the daemon can afford, between NIO's HTTP decoder and Hummingbird:
///
/// - a request's head must be complete within the header timeout of the connection's accept (later heads:
///   of their first byte), however the bytes trickle in; its body within the body timeout of the head; a
///   kept-alive connection without a request is closed after the idle timeout. While the daemon is
///   answering, no clock runs against the client.
/// - a request the parser refuses (an overlong request line or head, too many fields, a method HTTP does
///   not know, a malformed line) is answered in JSON with its own code (414, 431 or 400), then closed;
///   so is a head that missed its deadline (408).
/// - a request that asks to switch protocols (`Upgrade: h2c`, `websocket`; CONNECT) is answered as plain
///   HTTP/1.1 and the connection closed after the answer: NIO's decoder reads nothing after such a
///   request, so a next request on it would never be answered. So is a request that did not ask to be kept
///   alive (`Connection: close`, HTTP/1.0).
///
/// `RequestBytesObserver`, just before the decoder, tells it when bytes arrive.
final class HTTPConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum Phase {
        case open
        /// A refusal waits for the answers to the requests before it; input is dropped.
        case refusing(APIError)
        /// The last answer is written or being written; input is dropped.
        case closing
    }

    private enum Clock {
        case head, body, idle
    }

    private let limits: ConnectionLimits
    private let logger: Logger
    private let dates: HTTPDateCache
    /// How long a connection that was answered and is being closed may go on sending before it is cut.
    static let lingerTime = TimeAmount.seconds(2)

    private var context: ChannelHandlerContext?
    private var isStarted = false
    private var phase = Phase.open
    /// One entry for each request read and not yet answered, in order: whether the connection closes after its answer.
    private var unanswered: [Bool] = []
    private var readingBody = false
    private var headDeadline: NIODeadline?
    /// Whether any byte of the awaited head arrived (a connection that sent nothing is closed without a word).
    private var headBegun = false
    private var bodyDeadline: NIODeadline?
    private var idleDeadline: NIODeadline?
    private var requestLineBytes = 0
    private var requestLineEnded = false
    /// After a parse error in a body the decoder reports every later read as an error too.
    private var decoderFailed = false
    /// A request after whose answer the connection closes has been read whole.
    private var closingRequestRead = false
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    private var lingerTimer: Scheduled<Void>?
    private var inputClosed = false

    init(limits: ConnectionLimits, logger: Logger, dates: HTTPDateCache) {
        self.limits = limits
        self.logger = logger
        self.dates = dates
    }

    /// Puts a guard between the decoder and the rest of the pipeline that `HTTP1Channel.setup` built, and its
    /// observer just before the decoder (after TLS, so it sees the plain bytes).
    static func install(in channel: any Channel, limits: ConnectionLimits, logger: Logger, dates: HTTPDateCache) throws {
        let pipeline = channel.pipeline.syncOperations
        let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
        let connectionGuard = HTTPConnectionGuard(limits: limits, logger: logger, dates: dates)
        try pipeline.addHandler(connectionGuard, position: .after(decoder))
        try pipeline.addHandler(RequestBytesObserver(connectionGuard: connectionGuard), position: .before(decoder))
    }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { started() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        started()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimers()
        context.fireChannelInactive()
    }

    private func started() {
        guard !isStarted else { return }
        isStarted = true
        headDeadline = .now() + .seconds(limits.headerTimeoutSeconds)
        reschedule()
    }

    // MARK: Input

    /// Called by the observer with each read before the decoder parses it; false drops the bytes.
    func bytesArrived(_ bytes: ByteBuffer) -> Bool {
        guard case .open = phase else { return false }
        // The decoder reads nothing after a malformed body, nor after a request that closes the connection
        // (an Upgrade stops it parsing): bytes kept for it would pile up without bound until the answer.
        guard !decoderFailed, !closingRequestRead else { return false }
        guard !readingBody else { return true }
        headBegun = true
        if headDeadline == nil {
            headDeadline = .now() + .seconds(limits.headerTimeoutSeconds)
        }
        if !requestLineEnded {
            if let newline = bytes.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                requestLineBytes += newline - bytes.readerIndex
                requestLineEnded = true
            } else {
                requestLineBytes += bytes.readableBytes
            }
            if requestLineBytes > ConnectionLimits.maximumRequestLineBytes {
                refuseAfterAnswers(.uriTooLong(
                    "the request line is longer than \(ConnectionLimits.maximumRequestLineBytes) bytes; send long parameters in a JSON body"
                ))
                return false
            }
        }
        reschedule()
        return true
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .open = phase else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            headDeadline = nil
            headBegun = false
            idleDeadline = nil
            readingBody = true
            bodyDeadline = .now() + .seconds(limits.bodyTimeoutSeconds)
            unanswered.append(!head.isKeepAlive || Self.switchesProtocols(head))
        case .body:
            break
        case .end:
            readingBody = false
            bodyDeadline = nil
            closingRequestRead = unanswered.last == true
            requestLineBytes = 0
            requestLineEnded = false
        }
        reschedule()
        context.fireChannelRead(data)
    }

    /// Whether NIO's decoder stops after this request (llhttp's upgrade: CONNECT, or an `Upgrade` header with
    /// `Connection: upgrade`); any `Upgrade` header counts, which is never wrong since the answer then closes.
    static func switchesProtocols(_ head: HTTPRequestHead) -> Bool {
        head.method == .CONNECT || head.headers.contains(name: "upgrade")
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard case .open = phase else { return }
        if decoderFailed, error is ByteToMessageDecoderError { return }
        guard let parseError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        if readingBody {
            // The body of the request being read is malformed: its handler learns of it from the body,
            // and the connection closes after the answer (or at once, if it was answered already).
            decoderFailed = true
            if unanswered.isEmpty {
                close(context, reason: "malformed body after the answer (\(parseError))")
            } else {
                unanswered[unanswered.count - 1] = true
                context.fireErrorCaught(error)
            }
            return
        }
        refuseAfterAnswers(Self.refusal(for: parseError))
    }

    /// Refuses now, or once the requests read before have had their answers (the refusal must not take the
    /// place of one of them).
    private func refuseAfterAnswers(_ refusal: APIError) {
        if unanswered.isEmpty {
            refuse(refusal)
        } else {
            phase = .refusing(refusal)
            reschedule()
        }
    }

    /// The answer to a head the parser refused: 431 for a head over the limits, 400 (UNSUPPORTED_HTTP_VERSION) for HTTP/2 spoken without
    /// asking, 400 for the rest.
    static func refusal(for error: HTTPParserError) -> APIError {
        switch error {
        case .headerOverflow:
            return .headerFieldsTooLarge(
                "the request head is over the limits: at most \(ConnectionLimits.maximumHeaderFields) header fields, "
                    + "\(ConnectionLimits.maximumHeaderFieldBytes) bytes each and \(ConnectionLimits.maximumHeaderBytes) bytes together"
            )
        case .invalidVersion, .paused:
            // llhttp pauses at HTTP/2's connection preface (`PRI * HTTP/2.0`).
            return .unsupportedHTTPVersion("this server speaks HTTP/1.1 (and 1.0) only")
        case .invalidMethod:
            return .invalidRequest("the request's method is not an HTTP method; methods are upper case (GET, POST, HEAD, ...)")
        default:
            return .invalidRequest("the request is not valid HTTP/1.1 (\(error))")
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            inputClosed = true
            if case .closing = phase {
                // The client has read the last answer and closed its side.
                context.close(promise: nil)
            }
        }
        context.fireUserInboundEventTriggered(event)
    }

    // MARK: Output

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            if unanswered.first == true, !(100..<200).contains(head.status.code) {
                head.headers.replaceOrAdd(name: "Connection", value: "close")
                context.write(wrapOutboundOut(.head(head)), promise: promise)
            } else {
                context.write(data, promise: promise)
            }
        case .body:
            context.write(data, promise: promise)
        case .end:
            let closes = unanswered.isEmpty ? false : unanswered.removeFirst()
            if closes {
                phase = .closing
                cancelTimers()
                let written = promise ?? context.eventLoop.makePromise()
                context.writeAndFlush(data, promise: written)
                written.futureResult.assumeIsolated().whenComplete { _ in self.linger(context) }
            } else if unanswered.isEmpty, case .refusing(let refusal) = phase {
                context.write(data, promise: promise)
                refuse(refusal)
            } else {
                if unanswered.isEmpty {
                    idleDeadline = .now() + .seconds(limits.idleTimeoutSeconds)
                }
                context.write(data, promise: promise)
                reschedule()
            }
        }
    }

    // MARK: Clocks

    /// The clock running against the client now, if any: none while the daemon is answering.
    private var deadline: (at: NIODeadline, clock: Clock)? {
        guard case .open = phase else { return nil }
        if unanswered.count > (readingBody ? 1 : 0) { return nil }
        if readingBody { return bodyDeadline.map { ($0, .body) } }
        if let headDeadline { return (headDeadline, .head) }
        return idleDeadline.map { ($0, .idle) }
    }

    private func reschedule() {
        let next = deadline
        guard next?.at != timerDeadline else { return }
        timer?.cancel()
        timer = nil
        timerDeadline = next?.at
        guard let next, let context else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: next.at) { [self] in
            timer = nil
            timerDeadline = nil
            guard let due = deadline else { return }
            guard due.at <= .now() else { return reschedule() }
            expired(due.clock)
        }
    }

    private func expired(_ clock: Clock) {
        guard let context else { return }
        switch clock {
        case .head where headBegun:
            refuse(.requestTimeout(
                "the request head did not arrive within \(limits.headerTimeoutSeconds) s (FLEXMEASURES_HEADER_TIMEOUT)"
            ))
        case .head:
            close(context, reason: "no request within \(limits.headerTimeoutSeconds) s")
        case .body:
            close(context, reason: "request body not complete within \(limits.bodyTimeoutSeconds) s")
        case .idle:
            close(context, reason: "idle for \(limits.idleTimeoutSeconds) s")
        }
    }

    private func cancelTimers() {
        timer?.cancel()
        timer = nil
        timerDeadline = nil
        lingerTimer?.cancel()
        lingerTimer = nil
    }

    // MARK: Closing

    /// Answers `error` in JSON, the way the API's errors look, and closes.
    private func refuse(_ error: APIError) {
        guard let context else { return }
        phase = .closing
        cancelTimers()
        logger.debug("refused a request: \(error)", metadata: ["remote": .string(context.remoteAddress.map { "\($0)" } ?? "unix")])
        let body = ByteBuffer(bytes: JSONWriter.bytes(.object(["status": .string(error.status), "message": .string(error.message)])))
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: "\(body.readableBytes)")
        headers.add(name: "Connection", value: "close")
        headers.add(name: "Date", value: dates.current())
        headers.add(name: "Server", value: APIHTTPResponder.serverName)
        let head = HTTPResponseHead(
            version: .http1_1, status: HTTPResponseStatus(statusCode: error.httpStatus.code), headers: headers
        )
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in self.linger(context) }
    }

    /// Closes the output after the last answer and the whole connection once the client closes its side or
    /// `lingerTime` has passed: closing with unread input would reset the connection and could destroy the
    /// answer before the client read it.
    private func linger(_ context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        guard !inputClosed else { return context.close(promise: nil) }
        context.close(mode: .output).assumeIsolated().whenFailure { _ in context.close(promise: nil) }
        lingerTimer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.lingerTime) {
            context.close(promise: nil)
        }
    }

    private func close(_ context: ChannelHandlerContext, reason: String) {
        logger.debug("closing a connection: \(reason)", metadata: ["remote": .string(context.remoteAddress.map { "\($0)" } ?? "unix")])
        phase = .closing
        cancelTimers()
        context.close(promise: nil)
    }
}

/// Tells the connection's guard of every read before NIO's HTTP decoder parses it, so that a head's clock
/// starts with its first byte and an overlong request line is refused before it is buffered whole.
final class RequestBytesObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let connectionGuard: HTTPConnectionGuard

    init(connectionGuard: HTTPConnectionGuard) {
        self.connectionGuard = connectionGuard
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if connectionGuard.bytesArrived(unwrapInboundIn(data)) {
            context.fireChannelRead(data)
        }
    }
}
