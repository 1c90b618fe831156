/// The queues of the appliance, as in FlexMeasures: scheduling jobs and forecasting jobs, and the delivery of
/// alert notifications, each with its own workers (`flexmeasures jobs run-worker --queue scheduling`).
public enum QueueName: String, CaseIterable, Hashable, Sendable, CustomStringConvertible {
    /// Device schedules, queued by postUdiEvent.
    case scheduling
    /// Forecasts, queued when new data comes in.
    case forecasting
    /// Alert notifications by mail and webhook, queued by the alert dispatcher (after the others: alert
    /// subjects number the queues in this order).
    case delivery

    /// The queue called `name`; throws `JobQueueError.unknownQueue` naming the valid ones otherwise
    /// (for `--queue` options and other text from outside).
    public init(validating name: String) throws(JobQueueError) {
        guard let queue = QueueName(rawValue: name) else { throw .unknownQueue(name) }
        self = queue
    }

    /// The name as stored and as typed on the command line.
    public var description: String { rawValue }
}
