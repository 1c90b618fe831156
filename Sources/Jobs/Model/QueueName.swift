/// The queues of the appliance, as in FlexMeasures: scheduling jobs and forecasting jobs, each with its
/// own workers (`flexmeasures jobs run-worker --queue scheduling`).
public enum QueueName: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// Device schedules, queued by postUdiEvent.
    case scheduling
    /// Forecasts, queued when new data comes in.
    case forecasting

    /// The queue called `name`; throws `JobQueueError.unknownQueue` naming the valid ones otherwise
    /// (for `--queue` options and other text from outside).
    public init(validating name: String) throws(JobQueueError) {
        guard let queue = QueueName(rawValue: name) else { throw .unknownQueue(name) }
        self = queue
    }

    /// The name as stored and as typed on the command line.
    public var description: String { rawValue }
}
