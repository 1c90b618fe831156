import API
import Jobs
import Logging
import ServiceLifecycle

/// The job workers the appliance runs, in the daemon and in `flexmeasures jobs run-worker`.
enum Workers {
    static func scheduling(services: APIServices, logger: Logger) -> JobWorker {
        var worker = JobWorker(jobs: services.jobs, queue: .scheduling, onEvent: { event in log(event, logger) })
        worker.register(kind: SchedulingJob.kind) { job in try await SchedulingJob.run(job, services: services) }
        return worker
    }

    static func forecasting(services: APIServices, logger: Logger) -> JobWorker {
        var worker = JobWorker(jobs: services.jobs, queue: .forecasting, onEvent: { event in log(event, logger) })
        worker.register(kind: ForecastingJob.kind) { job in try await ForecastingJob.run(job, services: services) }
        return worker
    }

    static func log(_ event: JobWorkerEvent, _ logger: Logger) {
        switch event {
        case let .finished(job): logger.info("job \(job.id) (\(job.kind)) finished")
        case let .failed(job): logger.warning("job \(job.id) (\(job.kind)) failed: \(job.error ?? "")")
        case let .storageError(message): logger.error("job queue: \(message)")
        default: logger.debug("job queue: \(event)")
        }
    }
}

/// Runs a worker until the service group shuts down.
struct WorkerService: Service {
    let worker: JobWorker

    func run() async throws {
        await cancelWhenGracefulShutdown { await worker.run() }
    }
}
