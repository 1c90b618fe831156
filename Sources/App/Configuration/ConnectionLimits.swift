/// How long a connection may take over each part of a request, and how many connections one listener keeps
/// open: what stops idle, half-sent and trickled requests from holding the daemon's sockets.
public struct ConnectionLimits: Sendable, Equatable {
    /// A request's head must arrive complete within this many seconds of the connection's accept, or of
    /// its own first byte on a kept-alive connection (`FLEXMEASURES_HEADER_TIMEOUT`).
    public var headerTimeoutSeconds: Int64 = 10
    /// A request's body must arrive complete within this many seconds of its head (`FLEXMEASURES_BODY_TIMEOUT`).
    public var bodyTimeoutSeconds: Int64 = 60
    /// A kept-alive connection is closed after this many seconds without a request (`FLEXMEASURES_IDLE_TIMEOUT`).
    public var idleTimeoutSeconds: Int64 = 60
    /// Connections one listener keeps open; each listener (TCP, the Unix socket) has its own budget, and
    /// connections beyond it are closed at once (`FLEXMEASURES_MAX_CONNECTIONS`).
    public var maximumConnections: Int = 512

    public init() {}

    public static let `default` = ConnectionLimits()

    // The request head, fixed: what the API's requests need many times over.
    /// The request line (method, target, version): longer ones get 414.
    public static let maximumRequestLineBytes = 8 * 1024
    /// One header field (name and value): larger ones get 431.
    public static let maximumHeaderFieldBytes = 16 * 1024
    /// All header fields and the target together: more get 431.
    public static let maximumHeaderBytes = 64 * 1024
    /// Header fields in one request: more get 431.
    public static let maximumHeaderFields = 100
}
