import Beliefs

/// How a job's failed runs are tried again: up to `maximumAttempts` runs in all, the wait before the next one
/// doubling from `initialDelay` after each failure, never longer than `maximumDelay` (exponential backoff).
/// Stored with the job, so every worker, in any process, treats it the same.
public struct RetryPolicy: Sendable, Hashable {
    /// Runs in all, the first included; also how often a job whose worker died is claimed again.
    public var maximumAttempts: Int
    /// The wait after the first failed run.
    public var initialDelay: Timespan
    /// The longest wait between two runs.
    public var maximumDelay: Timespan

    public init(maximumAttempts: Int, initialDelay: Timespan, maximumDelay: Timespan) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.initialDelay = max(.zero, initialDelay)
        self.maximumDelay = max(self.initialDelay, maximumDelay)
    }

    /// The wait after the `attempt`th run failed (1 for the first): initialDelay x 2^(attempt - 1), capped.
    public func delay(afterAttempt attempt: Int) -> Timespan {
        var delay = initialDelay.microseconds
        for _ in 1..<max(1, attempt) {
            if delay >= maximumDelay.microseconds / 2 { return maximumDelay }
            delay *= 2
        }
        return Timespan(microseconds: min(delay, maximumDelay.microseconds))
    }
}

/// An error after which a job with a retry policy fails at once, since another run cannot end otherwise
/// (a payload that is not what its kind declares, a channel that is not configured).
public protocol FinalJobError: Error {}

extension JobCoding.Invalid: FinalJobError {}
