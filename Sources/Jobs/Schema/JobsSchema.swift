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
        try db.execute(sql: """
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
            CREATE INDEX job_by_queue_and_status ON job(queue, status, id);
            CREATE INDEX job_by_expiry ON job(expires_at_us) WHERE expires_at_us IS NOT NULL;
            """)
    }

    /// Every migration of the job queue, in order (tests of this module migrate these after the belief store's).
    public static let all: [SchemaMigration] = [migration]
}
