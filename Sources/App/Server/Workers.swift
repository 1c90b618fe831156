import API
import Jobs
import Logging
import ServiceLifecycle

/// The job workers the appliance runs, in the daemon and in `flexmeasures jobs run-worker`.
enum Workers {
    /// The worker of `queue`, with the handler of that queue's jobs; every sign of life it gives reaches
    /// `services.workers` (for `GET /api/health`).
    static func worker(
        for queue: QueueName, services: APIServices, logger: Logger, onEvent: (@Sendable (JobWorkerEvent) -> Void)? = nil
    ) -> JobWorker {
        var worker = JobWorker(jobs: services.jobs, queue: queue, onEvent: { event in
            services.workers.heard(from: queue)
            log(event, logger)
            onEvent?(event)
        })
        let (kind, run): (String, @Sendable (Job, APIServices) async throws -> String) = switch queue {
        case .scheduling: (SchedulingJob.kind, SchedulingJob.run)
        case .forecasting: (ForecastingJob.kind, ForecastingJob.run)
        }
        worker.register(kind: kind) { job in
            try await timed(kind, services) { try await run(job, services) }
        }
        return worker
    }

    /// Runs a job's handler and records how long it took in the metrics.
    static func timed(_ kind: String, _ services: APIServices, _ body: () async throws -> String) async throws -> String {
        let started = ContinuousClock.now
        do {
            let result = try await body()
            services.metrics.recordJob(kind: kind, duration: ContinuousClock.now - started, failed: false)
            return result
        } catch {
            services.metrics.recordJob(kind: kind, duration: ContinuousClock.now - started, failed: true)
            throw error
        }
    }

    static func log(_ event: JobWorkerEvent, _ logger: Logger) {
        switch event {
        case let .finished(job): logger.info("job \(job.id) (\(job.kind)) finished")
        case let .failed(job): logger.warning("job \(job.id) (\(job.kind)) failed: \(job.error ?? "")")
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
    let liveness: WorkerLiveness
    /// Called as the worker starts, when its service group already traps the shutdown signals: from then on
    /// SIGTERM stops it cleanly.
    var started: @Sendable () -> Void = {}

    func run() async throws {
        started()
        liveness.heard(from: worker.queue)
        await cancelWhenGracefulShutdown { await worker.run() }
        liveness.stopped(worker.queue)
    }
}
