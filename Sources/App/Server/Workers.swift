import API
import Jobs
import Logging
import ServiceLifecycle
import Site

/// The job workers the appliance runs, in the daemon and in `flexmeasures jobs run-worker`.
enum Workers {
    /// Hears how long each job took and whether it failed (the daemon's metrics).
    typealias JobTiming = @Sendable (_ kind: String, _ duration: Duration, _ failed: Bool) -> Void

    /// The worker of `queue`, with the site's handler of that queue's jobs; `onEvent` hears every sign of
    /// life it gives (the daemon tells `GET /api/health`), `timing` how long each job took.
    static func worker(
        for queue: QueueName, site: Site, logger: Logger, timing: JobTiming? = nil,
        onEvent: (@Sendable (JobWorkerEvent) -> Void)? = nil
    ) -> JobWorker {
        SiteJobs.worker(
            for: queue, site: site,
            onEvent: { event in
                log(event, logger)
                onEvent?(event)
            },
            wrap: { kind, run in
                let started = ContinuousClock.now
                do {
                    let result = try await run()
                    timing?(kind, ContinuousClock.now - started, false)
                    return result
                } catch {
                    timing?(kind, ContinuousClock.now - started, true)
                    throw error
                }
            }
        )
    }

    static func log(_ event: JobWorkerEvent, _ logger: Logger) {
        switch event {
        case let .finished(job): logger.info("job \(job.id) (\(job.kind)) finished")
        case let .failed(job): logger.warning("job \(job.id) (\(job.kind)) failed: \(job.error ?? "")")
        case let .retrying(job):
            let limit = job.retry.map { " of \($0.maximumAttempts)" } ?? ""
            logger.warning("job \(job.id) (\(job.kind)) attempt \(job.attempts)\(limit) failed, tried again at \(job.runAfter?.iso8601 ?? "once"): \(job.error ?? "")")
        case let .resumed(job, maximumAttempts):
            logger.warning("job \(job.id) (\(job.kind)) runs again, attempt \(job.attempts) of at most \(maximumAttempts): its last attempt ended with its worker (the process stopped or died while running it); payload \(job.payload)")
        case let .storageError(message): logger.error("job queue: \(message)")
        case .polled: break
        default: logger.debug("job queue: \(event)")
        }
    }
}

/// Runs a worker until the service group shuts down, telling `liveness` when its loop has ended.
struct WorkerService: Service {
    let worker: JobWorker
    /// The daemon's record of its workers, for `GET /api/health`; none for `jobs run-worker`.
    var liveness: WorkerLiveness?
    /// Called as the worker starts, when its service group already traps the shutdown signals: from then on
    /// SIGTERM stops it cleanly.
    var started: @Sendable () -> Void = {}

    func run() async throws {
        started()
        liveness?.heard(from: worker.queue)
        await cancelWhenGracefulShutdown { await worker.run() }
        liveness?.stopped(worker.queue)
    }
}
