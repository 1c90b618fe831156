import Beliefs
import GRDB

extension Job {
    /// Reads a `SELECT * FROM job` row; throws for values no release writes (the table's CHECKs keep them out).
    init(row: Row) throws {
        let id: JobID = row["id"]
        let queueName: String = row["queue"]
        let statusName: String = row["status"]
        guard let queue = QueueName(rawValue: queueName) else {
            throw JobQueueError.unreadableJob(id, reason: "unknown queue \"\(queueName)\"")
        }
        guard let status = JobStatus(rawValue: statusName) else {
            throw JobQueueError.unreadableJob(id, reason: "unknown status \"\(statusName)\"")
        }
        func instant(_ column: String) -> Instant? {
            (row[column] as Int64?).map(Instant.init(microsecondsSinceEpoch:))
        }
        self.init(
            id: id,
            queue: queue,
            kind: row["kind"],
            payload: row["payload"],
            status: status,
            result: row["result"],
            error: row["error"],
            createdAt: Instant(microsecondsSinceEpoch: row["created_at_us"]),
            startedAt: instant("started_at_us"),
            finishedAt: instant("finished_at_us"),
            timeToLive: (row["time_to_live_us"] as Int64?).map(Timespan.init(microseconds:)),
            expiresAt: instant("expires_at_us"),
            worker: row["worker"],
            leaseExpiresAt: instant("lease_expires_at_us"),
            attempts: row["attempts"],
            retry: (row["max_attempts"] as Int?).map { maximum in
                RetryPolicy(
                    maximumAttempts: maximum,
                    initialDelay: Timespan(microseconds: row["retry_delay_us"] ?? 0),
                    maximumDelay: Timespan(microseconds: row["retry_max_delay_us"] ?? 0)
                )
            },
            runAfter: instant("run_after_us")
        )
    }
}
