import Beliefs
import Hummingbird
import Site

/// What the console's pages work with: the site, the console's settings and its clock.
public final class ConsoleServices: Sendable {
    public let site: Site
    public let settings: ConsoleSettings
    /// The current time; replaceable so that tests can age sessions.
    public let clock: @Sendable () -> Instant

    public init(site: Site, settings: ConsoleSettings, clock: @escaping @Sendable () -> Instant = { .now() }) {
        self.site = site
        self.settings = settings
        self.clock = clock
    }
}

/// The console's settings (README: configuration).
public struct ConsoleSettings: Sendable {
    /// Heads every page (`FLEXMEASURES_PLATFORM_NAME`).
    public var platformName = "FlexMeasures"
    /// The start of the site's entity addresses (`ea1.2021-01.io.flexmeasures`), shown on asset pages.
    public var addressPrefix = "ea1.2021-01.io.flexmeasures"
    /// How long a session lives without use (`FLEXMEASURES_SESSION_LIFETIME`).
    public var sessionLifetime: Timespan = .hours(12)
    /// Whether the session cookie is marked `Secure` (the TCP listener has TLS).
    public var secureCookies = false
    /// `FLEXMEASURES_MODE=demo`: the login page shows `demoCredentials`, charts may shift `demoYear`.
    public var demoMode = false
    public var demoCredentials: (email: String, password: String)?
    /// `FLEXMEASURES_DEMO_YEAR`: data of this year is shown as if it were this year (reference 2.9.2).
    public var demoYear: Int?

    public init() {}
}
