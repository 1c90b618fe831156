import BeliefStore
import Beliefs
import Jobs
import Registry
import SiteDatabase

/// The application core: the site's registry, beliefs and jobs, and what a user can do with them, whatever
/// the front end (the API, the CLI, the job workers). Front ends translate to and from calls on it.
public final class Site: Sendable {
    public let registry: Registry
    public let store: BeliefStore
    public let jobs: JobQueue
    public let settings: Settings
    /// The current time; replaceable so that tests can move it.
    public let clock: @Sendable () -> Instant
    /// When this site object was made (the daemon's or command's start, by `clock`): alerting's grace
    /// period counts from it, so that no sensor or source counts as silent for longer than it was watched.
    public let startedAt: Instant
    /// The data rules of each sensor, for ingest (see `AlertRuleIndex`).
    public let alertRules = AlertRuleIndex()
    /// Wrong console passwords per email and client, in memory (`signIn`).
    public let signInThrottle = SignInThrottle()
    /// Where alert notices go (mail, webhook); nil: they stay in the outbox.
    public let alertDelivery: AlertDelivery?

    public init(
        registry: Registry, store: BeliefStore, jobs: JobQueue, settings: Settings,
        clock: @escaping @Sendable () -> Instant = { .now() }, alertDelivery: AlertDelivery? = nil
    ) {
        self.registry = registry
        self.store = store
        self.jobs = jobs
        self.settings = settings
        self.clock = clock
        self.alertDelivery = alertDelivery
        startedAt = clock()
    }

    /// The site on an open database file.
    public convenience init(
        database: SiteDatabase, bcryptCost: UInt8, settings: Settings, clock: @escaping @Sendable () -> Instant = { .now() },
        alertDelivery: AlertDelivery? = nil
    ) {
        self.init(
            registry: Registry(database: database, bcryptCost: bcryptCost), store: BeliefStore(database: database),
            jobs: JobQueue(database: database), settings: settings, clock: clock, alertDelivery: alertDelivery
        )
    }
}
