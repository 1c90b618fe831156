import Beliefs

/// The id of a job: unique in the site database and never reused, also after its job is purged.
public typealias JobID = Int64

/// One job as stored: what to do (`kind`, `payload`), where it is (`status`), and what came of it.
public struct Job: Hashable, Identifiable, Sendable {
    /// Unique and never reused.
    public let id: JobID
    /// The queue whose workers run it.
    public let queue: QueueName
    /// Which handler runs it, e.g. "schedule-asset".
    public let kind: String
    /// The handler's input, JSON text.
    public let payload: String
    /// Where the job is in its life.
    public let status: JobStatus
    /// The handler's output, JSON text, once finished.
    public let result: String?
    /// Why the job failed, once failed.
    public let error: String?
    /// When it was queued.
    public let createdAt: Instant
    /// When its current (or last) attempt was claimed.
    public let startedAt: Instant?
    /// When it finished or failed.
    public let finishedAt: Instant?
    /// How long it is kept once done; nil keeps it for good.
    public let timeToLive: Timespan?
    /// When it gets purged: set once done, nil while queued or started or when kept for good.
    public let expiresAt: Instant?
    /// The worker that holds it (started) or last held it (finished, failed, released).
    public let worker: String?
    /// Until when the worker's lease holds, while started; after that another worker may claim it.
    public let leaseExpiresAt: Instant?
    /// How many times a worker has claimed it.
    public let attempts: Int
    /// How a failed run is tried again; nil fails the job at its first error.
    public let retry: RetryPolicy?
    /// Not claimed before this time: set when a failed run waits for its next attempt.
    public let runAfter: Instant?

    /// A job as read from the table; for tests and callers that build jobs for their handlers.
    public init(
        id: JobID, queue: QueueName, kind: String, payload: String, status: JobStatus,
        result: String? = nil, error: String? = nil, createdAt: Instant, startedAt: Instant? = nil,
        finishedAt: Instant? = nil, timeToLive: Timespan? = nil, expiresAt: Instant? = nil,
        worker: String? = nil, leaseExpiresAt: Instant? = nil, attempts: Int = 0, retry: RetryPolicy? = nil,
        runAfter: Instant? = nil
    ) {
        self.id = id
        self.queue = queue
        self.kind = kind
        self.payload = payload
        self.status = status
        self.result = result
        self.error = error
        self.createdAt = createdAt
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.timeToLive = timeToLive
        self.expiresAt = expiresAt
        self.worker = worker
        self.leaseExpiresAt = leaseExpiresAt
        self.attempts = attempts
        self.retry = retry
        self.runAfter = runAfter
    }
}
