import Beliefs
import GRDB

extension JobQueue {
    /// The newest jobs first, at most `limit` (1 ... 500), of one queue and/or status when given.
    public func recentJobs(queue: QueueName? = nil, status: JobStatus? = nil, limit: Int) async throws -> [Job] {
        let limit = min(max(limit, 1), 500)
        return try database.read { db in
            var (filter, arguments) = Self.filter(queue: queue, status: status)
            arguments += [limit]
            return try Row.fetchAll(db, sql: "SELECT * FROM job \(filter) ORDER BY id DESC LIMIT ?", arguments: arguments)
                .map(Job.init(row:))
        }
    }

    /// The WHERE clause (empty for all jobs) and its arguments that keep one queue and/or status.
    static func filter(queue: QueueName?, status: JobStatus?) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments = StatementArguments()
        if let queue {
            conditions.append("queue = ?")
            arguments += [queue.rawValue]
        }
        if let status {
            conditions.append("status = ?")
            arguments += [status.rawValue]
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), arguments)
    }

    /// Queues a failed job again to run now, as new: its error, result, attempts and expiry cleared. A job in
    /// any other state is left alone and nil returned.
    @discardableResult
    public func retry(id: JobID) async throws -> Job? {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE job SET status = 'queued', error = NULL, result = NULL, started_at_us = NULL, finished_at_us = NULL,
                        expires_at_us = NULL, worker = NULL, lease_expires_at_us = NULL, attempts = 0, run_after_us = NULL
                    WHERE id = ? AND status = 'failed'
                    """,
                arguments: [id]
            )
            guard db.changesCount == 1 else { return nil }
            return try Self.fetchJob(id: id, in: db)
        }
    }
}
