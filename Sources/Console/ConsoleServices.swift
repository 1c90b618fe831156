import Beliefs
import Foundation
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

    /// In demo mode with a demo year, how far the charts move data of that year forward to show it as this
    /// year's (the same day and time of day in the demo year; 29 February falls back to the 28th); zero otherwise.
    public func demoShift(at now: Instant) -> Timespan {
        guard demoMode, let demoYear else { return .zero }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = Date(timeIntervalSince1970: Double(now.microsecondsSinceEpoch) / 1e6)
        // Whole days, so that the data stay on their sensors' grids.
        var parts = calendar.dateComponents([.year, .month, .day], from: date)
        guard let year = parts.year, year != demoYear, let today = calendar.date(from: parts) else { return .zero }
        parts.year = demoYear
        if parts.month == 2, parts.day == 29 { parts.day = 28 }
        guard let then = calendar.date(from: parts) else { return .zero }
        return Timespan(microseconds: Int64((today.timeIntervalSince(then) * 1e6).rounded()))
    }
}
