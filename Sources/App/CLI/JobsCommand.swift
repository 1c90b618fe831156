import ArgumentParser
import BeliefStore
import Jobs
import Logging
import Registry
import ServiceLifecycle

/// `flexmeasures jobs ...`: the durable job queue.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Run a job worker or clear a job queue.",
        subcommands: [RunWorker.self, ClearQueue.self]
    )

    struct RunWorker: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run-worker",
            abstract: "Run a worker for one queue in this process until SIGTERM or SIGINT.",
            discussion: """
                The daemon already runs a worker per queue; an extra worker on the same file shares the \
                work. Jobs whose worker died are taken up again once their lease runs out.
                """
        )

        @Option(help: "scheduling or forecasting.") var queue: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let queueName = try parsedQueue(queue)
            let settings = try database.settings
            let logger = Logger.daemon(level: try settings.loggingLevel())
            let site = try database.site(settings: settings)
            let worker = Workers.worker(for: queueName, site: site, logger: logger)
            logger.info("worker \(worker.id) on the \(queueName.rawValue) queue of \(site.jobs.database.path)")
            let group = ServiceGroup(configuration: .init(
                services: [.init(service: WorkerService(worker: worker))], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
            ))
            try await group.run()
        }
    }

    struct ClearQueue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clear-queue",
            abstract: "Remove the queued (not yet started) jobs of a queue."
        )

        @Option(help: "scheduling or forecasting.") var queue: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let queueName = try parsedQueue(queue)
            let removed = try await JobQueue(database: try database.open()).clear(queue: queueName)
            print("Removed \(removed) queued job(s) from the \(queueName.rawValue) queue.")
        }
    }
}

private func parsedQueue(_ name: String) throws -> QueueName {
    do {
        return try QueueName(validating: name)
    } catch {
        throw UsageFailure("invalid value for --queue: '\(name)'; use scheduling or forecasting")
    }
}
