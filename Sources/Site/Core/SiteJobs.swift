import Jobs

/// Which job kind each queue runs and the site's handler for it: what every worker of the site registers,
/// in the daemon, in `jobs run-worker`, in `add forecasts --wait` and in tests.
public enum SiteJobs {
    public typealias Handler = @Sendable (Job, Site) async throws -> String

    public static func handler(for queue: QueueName) -> (kind: String, run: Handler) {
        switch queue {
        case .scheduling: (SchedulingJob.kind, SchedulingJob.run)
        case .forecasting: (ForecastingJob.kind, ForecastingJob.run)
        case .delivery: (DeliveryJob.kind, DeliveryJob.run)
        }
    }

    /// A worker of `queue` over the site's job queue with the site's handler registered; `wrap` sees every
    /// run (to time it).
    public static func worker(
        for queue: QueueName, site: Site, onEvent: @escaping @Sendable (JobWorkerEvent) -> Void = { _ in },
        wrap: @escaping @Sendable (_ kind: String, _ run: () async throws -> String) async throws -> String = { _, run in try await run() }
    ) -> JobWorker {
        var worker = JobWorker(jobs: site.jobs, queue: queue, onEvent: onEvent)
        let (kind, run) = handler(for: queue)
        worker.register(kind: kind) { job in try await wrap(kind) { try await run(job, site) } }
        return worker
    }
}
