/// What a worker did, for the daemon's log and metrics (the Jobs module itself does not log).
public enum JobWorkerEvent: Sendable {
    /// The worker claimed a job and starts its handler.
    case claimed(Job)
    /// The worker claimed a job whose last attempt ended with its worker (the process stopped or died while
    /// running it) and runs it again: attempt `job.attempts` of at most `maximumAttempts`.
    case resumed(Job, maximumAttempts: Int)
    /// The handler's result is stored; the job is finished.
    case finished(Job)
    /// The job is stored as failed; its `error` says why.
    case failed(Job)
    /// The run failed (its `error` says why) and the job waits for another attempt at `runAfter`: its retry
    /// policy has attempts left.
    case retrying(Job)
    /// The worker stopped in the middle of the job and gave it back to the queue.
    case released(JobID)
    /// Another worker took the job over (this one's lease ran out); nothing of this run was stored.
    case leaseLost(JobID)
    /// The worker looked at its queue and found nothing to do (about once per `idleInterval`).
    case polled
    /// The worker renewed the lease on the job in hand.
    case leaseRenewed(JobID)
    /// This many expired jobs were purged.
    case purged(Int)
    /// SQLite refused a claim, a heartbeat or a record (e.g. the file stayed locked); the loop goes on.
    /// A job whose outcome could not be stored is claimed again when its lease runs out.
    case storageError(String)
}
