import Beliefs
import GRDB
import SiteDatabase

/// The storage engine for beliefs: append-only, columnar compressed segments in the site's SQLite file.
///
/// Appends of many beliefs of one sensor and source become segments at once; small appends (a gateway's
/// reading every 15 minutes) land in an uncompressed tail that `sealTails` moves into segments, merging
/// them into the sensor's last small segment so that no segment per value is ever left behind.
/// Readers never wait: WAL gives them a snapshot while the single writer appends.
public final class BeliefStore: Sendable {
    /// Size limits of segments and the tail.
    public struct Configuration: Sendable {
        /// The most beliefs one segment holds: large enough that BLOBs fill SQLite's overflow pages (smaller
        /// segments leave part of a page empty each), small enough that a one-day read decodes little.
        public var maximumSegmentBeliefs: Int = 8192
        /// Appends with at least this many beliefs of one sensor and source skip the tail.
        public var directSegmentMinimum: Int = 64
        /// A sensor and source with this many tail beliefs gets sealed by `sealTails()`.
        public var sealThreshold: Int = 256

        public init() {}
    }

    public let database: SiteDatabase
    public let configuration: Configuration

    public init(database: SiteDatabase, configuration: Configuration = Configuration()) {
        self.database = database
        var configuration = configuration
        // The codec refuses segments above its limit; a segment needs at least one belief.
        configuration.maximumSegmentBeliefs = min(max(1, configuration.maximumSegmentBeliefs), SegmentCodec.maximumCount)
        self.configuration = configuration
    }

    /// Appends a batch atomically: all of it or, when any belief is refused, nothing. Concurrent callers
    /// are queued to the single writer and may share one durable commit.
    @discardableResult
    public func append(_ beliefs: [Belief]) async throws -> AppendReceipt {
        let configuration = self.configuration
        return try await database.transaction { db in
            try Self.append(beliefs, configuration: configuration, in: db)
        }
    }

    /// Appends a batch in its own durable transaction, blocking the caller (the CLI, benchmarks).
    @discardableResult
    public func appendNow(_ beliefs: [Belief]) throws -> AppendReceipt {
        try database.write { db in try Self.append(beliefs, configuration: configuration, in: db) }
    }

    /// Runs `body` in the writer's queue, sharing a commit with other writes, inside a savepoint of its own.
    /// For callers that store beliefs together with other rows (e.g. a UDI event and its asset's state).
    public func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await database.transaction(body)
    }

    /// Beliefs of a sensor and source, as counted over segments and tail.
    public func statistics() throws -> Statistics {
        try database.pool.read { db in try Self.statistics(in: db) }
    }

    static func statistics(in db: Database) throws -> Statistics {
        let segments = try Row.fetchOne(db, sql: "SELECT COUNT(*), COALESCE(SUM(belief_count), 0), COALESCE(SUM(LENGTH(data)), 0) FROM belief_segment")!
        let tail = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM belief_tail") ?? 0
        return Statistics(segments: segments[0], segmentBeliefs: segments[1], segmentBytes: segments[2], tailBeliefs: tail)
    }

    /// How much is stored, for metrics and benchmarks.
    public struct Statistics: Hashable, Sendable {
        public let segments: Int
        public let segmentBeliefs: Int
        public let segmentBytes: Int
        public let tailBeliefs: Int
        public var beliefs: Int { segmentBeliefs + tailBeliefs }
    }
}

/// What an append stored.
public struct AppendReceipt: Hashable, Sendable {
    /// Beliefs stored.
    public let beliefs: Int
    public let segmentsWritten: Int
    public let tailBeliefs: Int
    /// Beliefs left out because they were stored already (with `DuplicatePolicy.skip`).
    public var skipped = 0

    /// Nothing appended.
    public static let nothing = AppendReceipt(beliefs: 0, segmentsWritten: 0, tailBeliefs: 0)
}

/// What an append does with a belief that is stored already (same sensor, event, belief time, source
/// and probability): refuse the whole batch (an API post: ALREADY_RECEIVED), or store the rest (a job
/// that runs again, a backfill over forecasts made before).
public enum DuplicatePolicy: Sendable {
    case refuse
    case skip
}
