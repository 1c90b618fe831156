import API
import Jobs
import Logging
import ServiceLifecycle

/// The job workers the appliance runs, in the daemon and in `flexmeasures jobs run-worker`.
enum Workers {
    static func scheduling(services: APIServices, logger: Logger) -> JobWorker {
        var worker = JobWorker(jobs: services.jobs, queue: .scheduling, onEvent: { event in
            services.workers.heard(from: .scheduling)
            log(event, logger)
        })
        worker.register(kind: SchedulingJob.kind) { job in
            try await timed(SchedulingJob.kind, services) { try await SchedulingJob.run(job, services: services) }
        }
        return worker
    }

    static func forecasting(services: APIServices, logger: Logger) -> JobWorker {
        var worker = JobWorker(jobs: services.jobs, queue: .forecasting, onEvent: { event in
            services.workers.heard(from: .forecasting)
            log(event, logger)
        })
        worker.register(kind: ForecastingJob.kind) { job in
            try await timed(ForecastingJob.kind, services) { try await ForecastingJob.run(job, services: services) }
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
        case let .storageError(message): logger.error("job queue: \(message)")
        case .polled: break
        default: logger.debug("job queue: \(event)")
        }
    }
}

/// Runs a worker until the service group shuts down, telling `liveness` of it.
struct WorkerService: Service {
    let worker: JobWorker
    var liveness: WorkerLiveness?

    func run() async throws {
        liveness?.heard(from: worker.queue)
        await cancelWhenGracefulShutdown { await worker.run() }
        liveness?.stopped(worker.queue)
    }
}
