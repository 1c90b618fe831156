import Hummingbird
import Registry
import Site

/// The request context of every console route: who is signed in, once the session middleware has looked.
public struct ConsoleContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The signed-in user and their session, set by `SessionMiddleware` for a valid session cookie.
    public var session: ConsoleSession?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
