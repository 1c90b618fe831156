import Beliefs

/// Why the job queue refused a request; each message says what to fix or what happened.
public enum JobQueueError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A queue name other than `scheduling` or `forecasting`.
    case unknownQueue(String)
    /// An empty job kind.
    case emptyKind
    /// A payload (`field` "payload") or a handler's result (`field` "result") that is not JSON.
    case invalidJSON(field: String, reason: String)
    /// A lease or time to live that makes no sense (a lease must be positive).
    case invalidLease(Timespan)
    /// No job with this id (never queued, cleared, or purged).
    case unknownJob(JobID)
    /// The worker no longer holds the job: its lease ran out and another worker claimed it, or the job was
    /// given back or is done. Whatever this worker computed must not overwrite the other's work.
    case leaseLost(job: JobID, worker: String)
    /// A row that this build cannot read (written by another release, or edited by hand).
    case unreadableJob(JobID, reason: String)

    /// The message for the operator or the API client.
    public var description: String {
        switch self {
        case let .unknownQueue(name):
            let known = QueueName.allCases.map(\.rawValue).joined(separator: ", ")
            return "unknown queue \"\(name)\"; the queues are: \(known)"
        case .emptyKind:
            return "a job needs a kind (e.g. \"schedule-asset\")"
        case let .invalidJSON(field, reason):
            return "the job's \(field) is not valid JSON: \(reason)"
        case let .invalidLease(lease):
            return "a lease must be longer than zero, not \(lease)"
        case let .unknownJob(id):
            return "there is no job \(id) (it may have been cleared or purged)"
        case let .leaseLost(id, worker):
            return "worker \(worker) no longer holds job \(id): its lease ran out and another worker took it, "
                + "or the job was given back or is done"
        case let .unreadableJob(id, reason):
            return "job \(id) cannot be read: \(reason)"
        }
    }
}
