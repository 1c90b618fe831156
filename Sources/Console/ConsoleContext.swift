import Hummingbird
import NIOCore
import Registry
import Site

/// The request context of every console route: who is signed in, once the session middleware has looked.
public struct ConsoleContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in user and their session, set by `SessionMiddleware` for a valid session cookie.
    public var session: ConsoleSession?
    /// The session cookie's token as sent (logout ends it).
    var sessionToken: String?
    /// The peer's address (wrong passwords are counted per client); nil on a Unix socket and in tests.
    let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
