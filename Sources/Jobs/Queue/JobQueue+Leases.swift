import Beliefs
import GRDB

extension JobQueue {
    /// Takes the oldest claimable job of `queue` for `worker`, or returns nil when there is none.
    ///
    /// Claimable are queued jobs and started jobs whose lease ran out (their worker died). The job becomes
    /// `started` with a lease of `lease` from now and one more attempt. Claiming is one IMMEDIATE
    /// transaction, so no two workers, in this process or another, ever get the same job. A job abandoned
    /// by `maximumAttempts` dying workers is failed instead of claimed again.
    public func claim(queue: QueueName, worker: String, lease: Timespan) async throws -> Job? {
        try await claimReportingGiveUps(queue: queue, worker: worker, lease: lease).claimed
    }

    /// `claim`, also returning the jobs it failed on the way because they were abandoned `maximumAttempts`
    /// times (so that the worker can say which job it gave up on and why).
    public func claimReportingGiveUps(
        queue: QueueName, worker: String, lease: Timespan
    ) async throws -> (claimed: Job?, givenUp: [Job]) {
        guard lease > .zero else { throw JobQueueError.invalidLease(lease) }
        // Idle workers poll; a poll that finds nothing takes a reader, not the file's one write lock.
        let now = clock()
        let anything = try database.read { db in
            try Self.claimableJobID(queue: queue, now: now, in: db) != nil
        }
        guard anything else { return (nil, []) }

        let clock = self.clock
        let maximumAttempts = self.maximumAttempts
        return try await database.write { db in
            let now = clock()
            let givenUp = try Self.failAbandonedJobs(queue: queue, now: now, maximumAttempts: maximumAttempts, in: db)
            guard let id = try Self.claimableJobID(queue: queue, now: now, in: db) else { return (nil, givenUp) }
            try db.execute(
                sql: """
                    UPDATE job
                    SET status = 'started', worker = ?, started_at_us = ?, lease_expires_at_us = ?,
                        attempts = attempts + 1, finished_at_us = NULL, result = NULL, error = NULL, run_after_us = NULL
                    WHERE id = ?
                    """,
                arguments: [worker, now.microsecondsSinceEpoch, (now + lease).microsecondsSinceEpoch, id]
            )
            return (try Self.fetchJob(id: id, in: db), givenUp)
        }
    }

    /// Extends `worker`'s lease on job `id` to `lease` from now (the heartbeat) and returns the new end.
    /// Throws `JobQueueError.leaseLost` when the worker no longer holds the job: it must stop working on it.
    @discardableResult
    public func renewLease(id: JobID, worker: String, lease: Timespan) async throws -> Instant {
        guard lease > .zero else { throw JobQueueError.invalidLease(lease) }
        let clock = self.clock
        return try await database.write { db in
            let expiry = clock() + lease
            try Self.updateHeldJob(
                id: id, worker: worker, set: "lease_expires_at_us = :lease", arguments: ["lease": expiry.microsecondsSinceEpoch],
                in: db
            )
            return expiry
        }
    }

    /// Records `result` (JSON) for the job that `worker` holds and marks it finished; returns the job as stored.
    /// Throws `JobQueueError.leaseLost` when another worker has taken the job over, leaving its work alone.
    @discardableResult
    public func finish(id: JobID, worker: String, result: String) async throws -> Job {
        if let problem = JSONText.problem(in: result) {
            throw JobQueueError.invalidJSON(field: "result", reason: problem)
        }
        return try await complete(id: id, worker: worker, status: .finished, set: "result = :text", text: result)
    }

    /// Records why the job that `worker` holds failed and marks it failed; returns the job as stored.
    ///
    /// A job with a retry policy and attempts left goes back to `queued` instead, not to be claimed before its
    /// backoff has passed (`runAfter`), with `error` kept as what its last run said; `final` fails it anyway
    /// (another run cannot end otherwise). Throws `JobQueueError.leaseLost` when another worker has taken the
    /// job over, leaving its work alone.
    @discardableResult
    public func fail(id: JobID, worker: String, error: String, final: Bool = false) async throws -> Job {
        let clock = self.clock
        let retried: Job? = final ? nil : try await database.write { db in
            guard let job = try Self.fetchJob(id: id, in: db), let retry = job.retry, job.attempts < retry.maximumAttempts else {
                return nil
            }
            let next = clock() + retry.delay(afterAttempt: job.attempts)
            try Self.updateHeldJob(
                id: id, worker: worker,
                set: "status = 'queued', error = :text, started_at_us = NULL, lease_expires_at_us = NULL, run_after_us = :next",
                arguments: ["text": error, "next": next.microsecondsSinceEpoch], in: db
            )
            return try Self.fetchJob(id: id, in: db)
        }
        if let retried { return retried }
        return try await complete(id: id, worker: worker, status: .failed, set: "error = :text", text: error)
    }

    /// Gives the job that `worker` holds back to its queue, to be claimed again at once (a worker that stops
    /// in the middle of a job, e.g. on shutdown). Its attempts stay counted.
    public func release(id: JobID, worker: String) async throws {
        let queue = try await database.write { db in
            try Self.updateHeldJob(
                id: id, worker: worker, set: "status = 'queued', started_at_us = NULL, lease_expires_at_us = NULL",
                arguments: [:], in: db
            )
            return try String.fetchOne(db, sql: "SELECT queue FROM job WHERE id = ?", arguments: [id])
                .flatMap(QueueName.init(rawValue:))
        }
        if let queue { wakeups.signal(queue) }
    }

    private func complete(id: JobID, worker: String, status: JobStatus, set: String, text: String) async throws -> Job {
        let clock = self.clock
        return try await database.write { db in
            let now = clock().microsecondsSinceEpoch
            try Self.updateHeldJob(
                id: id, worker: worker,
                set: """
                    status = :status, \(set), finished_at_us = :now, lease_expires_at_us = NULL,
                    expires_at_us = :now + time_to_live_us
                    """,
                arguments: ["status": status.rawValue, "text": text, "now": now],
                in: db
            )
            guard let job = try Self.fetchJob(id: id, in: db) else { throw JobQueueError.unknownJob(id) }
            return job
        }
    }

    /// Applies `set` to job `id` only while `worker` holds it, so that a worker whose lease was taken over
    /// can never overwrite the new holder's work; says which of the two ways it went wrong otherwise.
    private static func updateHeldJob(
        id: JobID, worker: String, set: String, arguments: [String: (any DatabaseValueConvertible)?], in db: Database
    ) throws {
        var arguments = arguments
        arguments["id"] = id
        arguments["worker"] = worker
        try db.execute(
            sql: "UPDATE job SET \(set) WHERE id = :id AND status = 'started' AND worker = :worker",
            arguments: StatementArguments(arguments)
        )
        if db.changesCount == 1 { return }
        let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM job WHERE id = ?)", arguments: [id]) ?? false
        throw exists ? JobQueueError.leaseLost(job: id, worker: worker) : JobQueueError.unknownJob(id)
    }

    /// The oldest job of `queue` that a worker may take now: queued, or started under a lease that ran out.
    private static func claimableJobID(queue: QueueName, now: Instant, in db: Database) throws -> JobID? {
        // Two lookups rather than one OR, so that each walks the (queue, status, id) index.
        let queued = try JobID.fetchOne(
            db,
            sql: """
                SELECT id FROM job WHERE queue = ? AND status = 'queued' AND (run_after_us IS NULL OR run_after_us <= ?)
                ORDER BY id LIMIT 1
                """,
            arguments: [queue.rawValue, now.microsecondsSinceEpoch]
        )
        let abandoned = try JobID.fetchOne(
            db,
            sql: """
                SELECT id FROM job WHERE queue = ? AND status = 'started' AND lease_expires_at_us <= ?
                ORDER BY id LIMIT 1
                """,
            arguments: [queue.rawValue, now.microsecondsSinceEpoch]
        )
        return [queued, abandoned].compactMap { $0 }.min()
    }

    /// Fails the started jobs whose lease ran out after their last allowed attempt.
    private static func failAbandonedJobs(queue: QueueName, now: Instant, maximumAttempts: Int, in db: Database) throws -> [Job] {
        let abandoned = try JobID.fetchAll(
            db,
            sql: """
                SELECT id FROM job WHERE queue = ? AND status = 'started' AND lease_expires_at_us <= ?
                    AND attempts >= coalesce(max_attempts, ?)
                """,
            arguments: [queue.rawValue, now.microsecondsSinceEpoch, maximumAttempts]
        )
        guard !abandoned.isEmpty else { return [] }
        try db.execute(
            sql: """
                UPDATE job
                SET status = 'failed',
                    error = 'given up after ' || attempts || ' attempts: the worker running it stopped renewing its '
                        || 'lease each time (it crashed or was killed)',
                    finished_at_us = :now, lease_expires_at_us = NULL,
                    expires_at_us = :now + time_to_live_us
                WHERE queue = :queue AND status = 'started' AND lease_expires_at_us <= :now
                    AND attempts >= coalesce(max_attempts, :maximum)
                """,
            arguments: ["now": now.microsecondsSinceEpoch, "queue": queue.rawValue, "maximum": maximumAttempts]
        )
        return try abandoned.compactMap { try fetchJob(id: $0, in: db) }
    }
}
