
import Beliefs
import GRDB
import SiteDatabase

/// The durable job queue in the site database: FlexMeasures' Redis queues, kept in the one SQLite file.
///
/// Every change is one short transaction on the pool's single writer, so jobs survive a crash or a power
/// cut like everything else in the file, and workers in other processes on the same file (`flexmeasures
/// jobs run-worker`) see the same jobs. Workers claim jobs with a lease that they renew while they work;
/// a job whose worker died is claimed again once the lease has run out (see `claim`).
public final class JobQueue: Sendable {
    /// The file the jobs live in.
    public let database: SiteDatabase
    /// How many times a job may be claimed and then abandoned by a dying worker before it is failed
    /// instead of claimed again: a job that crashes its worker must not crash every worker in turn.
    public let maximumAttempts: Int
    /// Wall-clock time for timestamps and leases; tests move it by hand.
    let clock: @Sendable () -> Instant
    /// Wakes idle workers of this process when a job is queued through this instance.
    let wakeups = Wakeups()

    /// A queue over `database`, whose schema must include `JobsSchema.all`.
    public init(
        database: SiteDatabase,
        maximumAttempts: Int = 3,
        clock: @escaping @Sendable () -> Instant = { Instant.now() }
    ) {
        self.database = database
        self.maximumAttempts = max(1, maximumAttempts)
        self.clock = clock
    }

    /// Queues a job and returns its id. `payload` must be JSON. The job is kept for `timeToLive` after it
    /// finishes or fails (FLEXMEASURES_PLANNING_TTL); a negative time to live keeps it for good.
    /// With a `retry` policy, a failed run is tried again later (see `fail`).
    @discardableResult
    public func enqueue(
        queue: QueueName, kind: String, payload: String, timeToLive: Timespan, retry: RetryPolicy? = nil
    ) async throws -> JobID {
        try Self.validate(kind: kind, payload: payload)
        let now = clock()
        let id = try await database.write { db in
            try Self.insert(queue: queue, kind: kind, payload: payload, timeToLive: timeToLive, retry: retry, now: now, in: db)
        }
        wakeups.signal(queue)
        return id
    }

    /// Queues a job inside a transaction the caller already has open, so that it commits (or rolls back)
    /// together with the caller's other rows, e.g. a UDI event and the scheduling job it asks for.
    /// Idle workers of this process are woken when that transaction commits.
    @discardableResult
    public func enqueue(
        queue: QueueName, kind: String, payload: String, timeToLive: Timespan, retry: RetryPolicy? = nil, in db: Database
    ) throws -> JobID {
        try Self.validate(kind: kind, payload: payload)
        var id: JobID = 0
        // A savepoint opens a transaction when the caller has none, so the wake-up fires on this commit.
        try db.inSavepoint {
            id = try Self.insert(
                queue: queue, kind: kind, payload: payload, timeToLive: timeToLive, retry: retry, now: clock(), in: db
            )
            db.afterNextTransaction(onCommit: { [wakeups] _ in wakeups.signal(queue) })
            return .commit
        }
        return id
    }

    /// The job with this id, or nil when there is none (never queued, cleared, or purged).
    /// Enqueues a job inside the caller's transaction unless the same job (queue, kind, payload) is
    /// already waiting; returns the waiting one's id then. For jobs that read the latest data when they
    /// run, so that a burst of triggers costs one run.
    @discardableResult
    public func enqueueUnlessQueued(
        queue: QueueName, kind: String, payload: String, timeToLive: Timespan, in db: Database
    ) throws -> JobID {
        if let waiting = try JobID.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM job WHERE queue = ? AND status = 'queued' AND kind = ? AND payload = ? LIMIT 1"),
            arguments: [queue.rawValue, kind, payload]
        ) {
            return waiting
        }
        return try enqueue(queue: queue, kind: kind, payload: payload, timeToLive: timeToLive, in: db)
    }

    public func job(id: JobID) async throws -> Job? {
        try database.read { db in try Self.fetchJob(id: id, in: db) }
    }

    /// How many jobs of `queue` are in each state, and when the oldest queued one was queued: what
    /// health checks and metrics show, without reading the jobs' payloads and results.
    public func counts(queue: QueueName) async throws -> (byStatus: [JobStatus: Int], oldestQueued: Instant?) {
        try database.read { db in
            var byStatus: [JobStatus: Int] = [:]
            var oldest: Instant?
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT status, count(*) AS n, min(created_at_us) AS oldest FROM job WHERE queue = ? GROUP BY status"),
                arguments: [queue.rawValue]
            )
            for row in rows {
                guard let status = JobStatus(rawValue: row["status"]) else { continue }
                byStatus[status] = row["n"]
                if status == .queued { oldest = Instant(microsecondsSinceEpoch: row["oldest"]) }
            }
            return (byStatus, oldest)
        }
    }

    /// Jobs, oldest first, of one queue and/or one status when given (all of them when not).
    public func jobs(queue: QueueName? = nil, status: JobStatus? = nil) async throws -> [Job] {
        try database.read { db in
            let (filter, arguments) = Self.filter(queue: queue, status: status)
            return try Row.fetchAll(db, sql: "SELECT * FROM job \(filter) ORDER BY id", arguments: arguments)
                .map(Job.init(row:))
        }
    }

    /// Removes the queued jobs of `queue` (`flexmeasures jobs clear-queue`) and returns how many it removed.
    /// Started jobs run on and finished or failed ones stay until they expire, as with RQ's `Queue.empty()`.
    @discardableResult
    public func clear(queue: QueueName) async throws -> Int {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM job WHERE queue = ? AND status = 'queued'", arguments: [queue.rawValue])
            return db.changesCount
        }
    }

    /// Removes finished and failed jobs whose time to live ran out by `now` (the queue's clock when nil);
    /// returns how many it removed. Queued and started jobs never expire.
    @discardableResult
    public func purgeExpired(now: Instant? = nil) async throws -> Int {
        let now = now ?? clock()
        return try await database.write { db in
            try db.execute(
                sql: """
                    DELETE FROM job
                    WHERE expires_at_us IS NOT NULL AND expires_at_us <= ? AND status IN ('finished', 'failed')
                    """,
                arguments: [now.microsecondsSinceEpoch]
            )
            return db.changesCount
        }
    }

    static func validate(kind: String, payload: String) throws(JobQueueError) {
        if kind.isEmpty { throw .emptyKind }
        if let problem = JSONText.problem(in: payload) { throw .invalidJSON(field: "payload", reason: problem) }
    }

    private static func insert(
        queue: QueueName, kind: String, payload: String, timeToLive: Timespan, retry: RetryPolicy?, now: Instant, in db: Database
    ) throws -> JobID {
        // The reference's convention: a negative time to live keeps the job for good.
        let timeToLive: Int64? = timeToLive.isNegative ? nil : timeToLive.microseconds
        try db.execute(
            sql: """
                INSERT INTO job (queue, kind, payload, status, created_at_us, time_to_live_us, max_attempts, retry_delay_us,
                                 retry_max_delay_us)
                VALUES (?, ?, ?, 'queued', ?, ?, ?, ?, ?)
                """,
            arguments: [
                queue.rawValue, kind, payload, now.microsecondsSinceEpoch, timeToLive, retry?.maximumAttempts,
                retry?.initialDelay.microseconds, retry?.maximumDelay.microseconds,
            ]
        )
        return db.lastInsertedRowID
    }

    static func fetchJob(id: JobID, in db: Database) throws -> Job? {
        try Row.fetchOne(db, sql: "SELECT * FROM job WHERE id = ?", arguments: [id]).map(Job.init(row:))
    }
}
