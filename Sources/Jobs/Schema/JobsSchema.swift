import GRDB
import SiteDatabase

/// The job queue's part of the site schema: one `job` table that every worker process on the file shares.
///
/// Times are microseconds since the epoch (`Instant`). A job is `queued`, then `started` by one worker
/// holding a lease (`worker`, `lease_expires_at_us`) that it renews while it works, then `finished` with a
/// JSON `result` or `failed` with an `error`. A started job whose lease ran out belongs to a worker that
/// died and may be claimed again. Finished and failed jobs get `expires_at_us` = finish time + their time to
/// live and are purged after it; a NULL time to live keeps them (FLEXMEASURES_PLANNING_TTL < 0).
public enum JobsSchema {
    /// The `job` table and the indexes that claiming, listing and purging use.
    public static let migration = SchemaMigration.creatingTables(
        "0004_jobs",
        summary: "The durable job queue: scheduling and forecasting jobs, their leases, results and expiry.",
        tables: ["job"]
    ) { db in
        // AUTOINCREMENT: ids are handed out (e.g. tied to a UDI event) and must never be reused after a purge.
        try db.execute(sql: tableV1 + indexes)
    }

    /// Retries with backoff and the delivery queue (issue 14): a job may carry a retry policy
    /// (`max_attempts`, `retry_delay_us`, `retry_max_delay_us`); a failed run of such a job goes back to
    /// `queued` with `run_after_us` set, the delay doubling per attempt, until its attempts are used up.
    /// `max_attempts` also bounds how often the job is claimed again after its worker died. Jobs without a
    /// policy fail at their first error, as before. SQLite cannot change a CHECK, so the table is copied
    /// into a new one; its id counter is carried over (ids are never handed out twice).
    public static let retries = SchemaMigration(
        "0008_job_retries",
        summary: "Job retries with exponential backoff (attempt limit, next run time) and the delivery queue.",
        apply: { db in try recreateJobTable(as: tableV2, copying: columnsV1, in: db) },
        revert: { db in
            try db.execute(sql: "DELETE FROM job WHERE queue NOT IN ('scheduling', 'forecasting')")
            try recreateJobTable(as: tableV1, copying: columnsV1, in: db)
        },
        losses: { db in
            var losses: [String] = []
            let delivery = try Int.fetchOne(db, sql: "SELECT count(*) FROM job WHERE queue NOT IN ('scheduling', 'forecasting')") ?? 0
            if delivery > 0 { losses.append("\(delivery) job\(delivery == 1 ? "" : "s") of the delivery queue") }
            let retrying = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM job WHERE queue IN ('scheduling', 'forecasting') AND (max_attempts IS NOT NULL OR run_after_us IS NOT NULL)"
            ) ?? 0
            if retrying > 0 { losses.append("the retry policy or next run time of \(retrying) job\(retrying == 1 ? "" : "s")") }
            return losses
        }
    )

    /// Every migration of the job queue, in order (tests of this module migrate these after the belief store's).
    public static let all: [SchemaMigration] = [migration, retries]

    // AUTOINCREMENT: ids are handed out (e.g. tied to a UDI event) and must never be reused after a purge.
    private static let tableV1 = """
        CREATE TABLE job (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            queue TEXT NOT NULL CHECK (queue IN ('scheduling', 'forecasting')),
            kind TEXT NOT NULL CHECK (length(kind) > 0),
            payload TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'started', 'finished', 'failed')),
            result TEXT,
            error TEXT,
            created_at_us INTEGER NOT NULL,
            started_at_us INTEGER,
            finished_at_us INTEGER,
            time_to_live_us INTEGER CHECK (time_to_live_us IS NULL OR time_to_live_us >= 0),
            expires_at_us INTEGER,
            worker TEXT,
            lease_expires_at_us INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            CHECK (status <> 'started' OR (worker IS NOT NULL AND lease_expires_at_us IS NOT NULL))
        );

        """

    private static let tableV2 = """
        CREATE TABLE job (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            queue TEXT NOT NULL CHECK (queue IN ('scheduling', 'forecasting', 'delivery')),
            kind TEXT NOT NULL CHECK (length(kind) > 0),
            payload TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'started', 'finished', 'failed')),
            result TEXT,
            error TEXT,
            created_at_us INTEGER NOT NULL,
            started_at_us INTEGER,
            finished_at_us INTEGER,
            time_to_live_us INTEGER CHECK (time_to_live_us IS NULL OR time_to_live_us >= 0),
            expires_at_us INTEGER,
            worker TEXT,
            lease_expires_at_us INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
            run_after_us INTEGER,
            max_attempts INTEGER CHECK (max_attempts IS NULL OR max_attempts >= 1),
            retry_delay_us INTEGER CHECK (retry_delay_us IS NULL OR retry_delay_us >= 0),
            retry_max_delay_us INTEGER CHECK (retry_max_delay_us IS NULL OR retry_max_delay_us >= 0),
            CHECK (status <> 'started' OR (worker IS NOT NULL AND lease_expires_at_us IS NOT NULL))
        );

        """

    private static let indexes = """
        CREATE INDEX job_by_queue_and_status ON job(queue, status, id);
        CREATE INDEX job_by_expiry ON job(expires_at_us) WHERE expires_at_us IS NOT NULL;
        """

    private static let columnsV1 = """
        id, queue, kind, payload, status, result, error, created_at_us, started_at_us, finished_at_us, time_to_live_us,
        expires_at_us, worker, lease_expires_at_us, attempts
        """

    /// Replaces the job table by one made with `create`, keeping `columns` of every row and the id counter.
    private static func recreateJobTable(as create: String, copying columns: String, in db: Database) throws {
        let counter = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'job'")
        try db.execute(sql: "CREATE TEMPORARY TABLE job_copy AS SELECT \(columns) FROM job")
        try db.execute(sql: "DROP TABLE job")
        try db.execute(sql: create + indexes)
        try db.execute(sql: "INSERT INTO job (\(columns)) SELECT \(columns) FROM job_copy")
        try db.execute(sql: "DROP TABLE temp.job_copy")
        if let counter {
            try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = 'job'")
            try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('job', ?)", arguments: [counter])
        }
    }
}
