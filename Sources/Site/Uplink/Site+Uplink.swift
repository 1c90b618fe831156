import BeliefStore
import Beliefs
import GRDB

/// What the fleet uplink registers centrally before it forwards beliefs: every sensor with the name of
/// what it measures (an asset, a market, a weather sensor), its unit and resolution, and every data source.
public struct UplinkCatalog: Sendable, Equatable {
    public struct Sensor: Sendable, Equatable {
        public let id: SensorID
        public let name: String
        /// asset, market, weather_sensor, or sensor for one nothing names.
        public let kind: String
        public let unit: String
        public let eventResolution: Timespan
        public let timezone: String
    }

    public struct Source: Sendable, Equatable {
        public let id: SourceID
        public let name: String
        public let type: String
    }

    public let sensors: [Sensor]
    public let sources: [Source]
}

/// How the uplink's stream stands, for `/api/health`, `/metrics`, the console and the alert timer. Read
/// from the site database alone, so every front end sees the same whether or not the uplink is connected.
public struct UplinkStatus: Sendable, Equatable {
    public let streamID: String
    public let started: Instant
    /// Beliefs the central server holds for good in this stream.
    public let forwardedBeliefs: Int
    public let lastForwarded: Instant?
    public let lastAttempt: Instant?
    /// Why the last attempt failed; nil after a success.
    public let lastError: String?
    /// Beliefs stored on the site and not yet held centrally (a deletion counts as one).
    public let backlogBeliefs: Int
    public let backlogEntries: Int
    /// When the oldest of them was stored.
    public let oldestWaiting: Instant?

    /// How long the oldest waiting change has waited; zero without a backlog.
    public func backlogAge(at now: Instant) -> Timespan {
        guard let oldestWaiting, oldestWaiting < now else { return .zero }
        return now - oldestWaiting
    }
}

extension Site {
    /// The sensors and sources to register centrally.
    public func uplinkCatalog() throws -> UplinkCatalog {
        try store.database.pool.read { db in
            let sensors = try Row.fetchAll(db, sql: """
                SELECT s.id, s.unit, s.event_resolution_us, s.timezone,
                    COALESCE(a.name, m.name, w.name, 'sensor ' || s.id),
                    CASE WHEN a.id IS NOT NULL THEN 'asset' WHEN m.id IS NOT NULL THEN 'market'
                        WHEN w.id IS NOT NULL THEN 'weather_sensor' ELSE 'sensor' END
                FROM sensor s LEFT JOIN asset a ON a.id = s.id LEFT JOIN market m ON m.id = s.id
                    LEFT JOIN weather_sensor w ON w.id = s.id
                ORDER BY s.id
                """).map { row in
                UplinkCatalog.Sensor(
                    id: row[0], name: row[4], kind: row[5], unit: row[1],
                    eventResolution: Timespan(microseconds: row[2]), timezone: row[3]
                )
            }
            let sources = try Row.fetchAll(db, sql: "SELECT id, name, type FROM data_source ORDER BY id").map { row in
                UplinkCatalog.Source(id: row[0], name: row[1], type: row[2])
            }
            return UplinkCatalog(sensors: sensors, sources: sources)
        }
    }

    /// The uplink's stream and backlog; nil while no uplink is configured (the journal does not run).
    public func uplinkStatus() throws -> UplinkStatus? {
        try store.database.pool.read { db in try Self.uplinkStatus(in: db) }
    }

    /// `uplinkStatus()` inside the caller's transaction (the alert timer's).
    static func uplinkStatus(in db: Database) throws -> UplinkStatus? {
        guard let stream = try BeliefStore.journalStream(in: db) else { return nil }
        let backlog = try BeliefStore.journalBacklog(after: stream.forwardedThrough, in: db)
        return UplinkStatus(
            streamID: stream.id, started: stream.started, forwardedBeliefs: stream.forwardedBeliefs,
            lastForwarded: stream.lastForwarded, lastAttempt: stream.lastAttempt, lastError: stream.lastError,
            backlogBeliefs: backlog.beliefs, backlogEntries: backlog.entries, oldestWaiting: backlog.oldestRecorded
        )
    }

    /// Starts the belief journal for an uplink (a new stream holding every belief stored now) unless it runs;
    /// returns whether it started now.
    @discardableResult
    public func startUplinkJournal() throws -> Bool {
        try store.startJournal(now: clock()).started
    }

    /// Stops the journal when no uplink is configured any more, dropping what it held; returns the entries dropped.
    @discardableResult
    public func stopUplinkJournal() throws -> Int {
        try store.stopJournal()
    }
}
