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
                """,
            // The reference's page on the job queue (25.5) writes `jobs run_worker`.
            aliases: ["run_worker"]
        )

        @Option(help: "scheduling, forecasting or delivery.") var queue: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let queueName = try parsedQueue(queue)
            let settings = try database.settings
            let logger = Logger.daemon(level: try settings.loggingLevel())
            let site = try database.site(settings: settings, delivering: queueName == .delivery)
            let worker = Workers.worker(for: queueName, site: site, logger: logger)
            let path = site.jobs.database.path
            let service = WorkerService(worker: worker) {
                logger.info("worker \(worker.id) on the \(queueName.rawValue) queue of \(path)")
            }
            let group = ServiceGroup(configuration: .init(
                services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
            ))
            try await group.run()
        }
    }

    struct ClearQueue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "clear-queue",
            abstract: "Remove the queued (not yet started) jobs of a queue."
        )

        @Option(help: "scheduling, forecasting or delivery.") var queue: String
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let queueName = try parsedQueue(queue)
            let removed = try await JobQueue(database: try database.open()).clear(queue: queueName)
            print("Removed \(removed) queued job(s) from the \(queueName.rawValue) queue.")
        }
    }
}

/// `flexmeasures run-worker`: `jobs run-worker` as the reference's getting started (1.2.4) writes it.
struct RunWorkerAlias: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-worker",
        abstract: "Alias of `jobs run-worker`: run a worker for one queue until SIGTERM or SIGINT.",
        discussion: JobsCommand.RunWorker.configuration.discussion
    )

    @OptionGroup var command: JobsCommand.RunWorker

    func run() async throws { try await command.run() }
}

/// `flexmeasures clear-queue`: `jobs clear-queue` as the reference's getting started (1.2.4) writes it.
struct ClearQueueAlias: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clear-queue",
        abstract: "Alias of `jobs clear-queue`: remove the queued (not yet started) jobs of a queue."
    )

    @OptionGroup var command: JobsCommand.ClearQueue

    func run() async throws { try await command.run() }
}

private func parsedQueue(_ name: String) throws -> QueueName {
    do {
        return try QueueName(validating: name)
    } catch {
        throw UsageFailure("invalid value for --queue: '\(name)'; use scheduling, forecasting or delivery")
    }
}
