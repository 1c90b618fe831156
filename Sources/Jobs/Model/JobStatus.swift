/// Where a job is in its life: `queued` -> `started` -> `finished` or `failed` (RQ's registries).
///
/// A started job goes back to being claimable when its worker's lease runs out, and back to `queued` when
/// its worker stops on purpose (`JobQueue.release`).
public enum JobStatus: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// Waiting for a worker.
    case queued
    /// Claimed by a worker that holds a lease on it.
    case started
    /// Done; the job's result holds the handler's JSON.
    case finished
    /// Given up; the job's error says why.
    case failed

    /// The name as stored and shown.
    public var description: String { rawValue }
}
