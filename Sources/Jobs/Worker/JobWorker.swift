import Beliefs
import Foundation

/// Runs the jobs of one queue, one at a time: in the daemon, or on its own in `flexmeasures jobs run-worker`.
///
/// The loop claims the oldest job, runs the handler registered for its kind while renewing the lease, and
/// stores the handler's JSON result or its error. When the queue is empty it sleeps until a job is queued
/// through the same `JobQueue` or `idleInterval` passes (jobs queued by other processes are found by that
/// poll), purging expired jobs now and then. Cancelling the task that runs `run()` stops it: a job in hand
/// whose handler gives up on cancellation goes back to the queue, one whose handler completes is stored.
/// Run one loop per worker value at a time: the worker id is what proves a job is this loop's.
public struct JobWorker: Sendable {
    /// Runs one job and returns its result as JSON text; a thrown error fails the job with its description.
    public typealias Handler = @Sendable (Job) async throws -> String

    /// The queue of the jobs.
    public let jobs: JobQueue
    /// The queue this worker takes jobs from.
    public let queue: QueueName
    /// This worker's id, stored on the jobs it runs.
    public let id: String
    /// How long a claim holds without a heartbeat; the heartbeat renews it every third of it. A worker that
    /// dies leaves its job to be claimed again this long after its last heartbeat.
    public var lease: Timespan
    /// The longest an idle worker sleeps before it looks at the queue again.
    public var idleInterval: Duration
    /// How often an idle worker purges expired jobs.
    public var purgeInterval: Duration
    private var handlers: [String: Handler] = [:]
    private let onEvent: @Sendable (JobWorkerEvent) -> Void

    /// A worker for `queue` without handlers yet; `onEvent` hears of every job it runs (e.g. to log).
    public init(
        jobs: JobQueue,
        queue: QueueName,
        id: String? = nil,
        lease: Timespan = .seconds(30),
        idleInterval: Duration = .seconds(1),
        purgeInterval: Duration = .seconds(600),
        onEvent: @escaping @Sendable (JobWorkerEvent) -> Void = { _ in }
    ) {
        self.jobs = jobs
        self.queue = queue
        self.id = id ?? Self.makeID(queue: queue)
        self.lease = lease
        self.idleInterval = idleInterval
        self.purgeInterval = purgeInterval
        self.onEvent = onEvent
    }

    /// Runs jobs of `kind` with `handler` (replacing an earlier handler of that kind).
    public mutating func register(kind: String, handler: @escaping Handler) {
        handlers[kind] = handler
    }

    /// The kinds this worker has handlers for, sorted.
    public var kinds: [String] { handlers.keys.sorted() }

    /// A worker id unique across processes and hosts sharing the file: queue, host, process, and a random part
    /// for workers of one process.
    public static func makeID(queue: QueueName) -> String {
        let random = UUID().uuidString.prefix(8).lowercased()
        return "\(queue)@\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(random)"
    }

    /// Claims and runs jobs until the calling task is cancelled.
    public func run() async {
        await loop(untilIdle: false)
    }

    /// Claims and runs jobs until none is queued (or the calling task is cancelled): queued work run in place.
    public func runUntilIdle() async {
        await loop(untilIdle: true)
    }

    private func loop(untilIdle: Bool) async {
        var lastPurge: ContinuousClock.Instant?
        while !Task.isCancelled {
            let generation = jobs.wakeups.generation(of: queue)
            let claimed: Job?
            do {
                let outcome = try await jobs.claimReportingGiveUps(queue: queue, worker: id, lease: lease)
                for job in outcome.givenUp { onEvent(.failed(job)) }
                claimed = outcome.claimed
            } catch is CancellationError {
                return
            } catch {
                onEvent(.storageError("claiming a \(queue) job: \(error)"))
                try? await Task.sleep(for: idleInterval)
                continue
            }
            if let job = claimed {
                // A job with a retry policy runs again after failures too: only `retrying` says why it ran before.
                onEvent(job.attempts > 1 && job.retry == nil ? .resumed(job, maximumAttempts: jobs.maximumAttempts) : .claimed(job))
                await process(job)
                continue
            }
            onEvent(.polled)
            if untilIdle { return }
            if lastPurge.map({ $0.duration(to: .now) >= purgeInterval }) ?? true {
                lastPurge = .now
                await purge()
            }
            await jobs.wakeups.wait(for: queue, after: generation, timeout: idleInterval)
        }
    }

    /// Runs one claimed job and stores what came of it.
    private func process(_ job: Job) async {
        guard let handler = handlers[job.kind] else {
            let known = kinds.isEmpty ? "none" : kinds.joined(separator: ", ")
            await record(job.id) {
                try await $0.fail(
                    id: job.id, worker: id,
                    error: "unknown job kind \"\(job.kind)\": no handler for it on the \(queue) queue (known kinds: \(known))",
                    // Retrying cannot make a handler appear, nor a result JSON.
                    final: true
                )
            }
            return
        }
        switch await perform(job, with: handler) {
        case let .returned(result):
            if let problem = JSONText.problem(in: result) {
                await record(job.id) {
                    try await $0.fail(id: job.id, worker: id, error: "the \(job.kind) handler returned a result that is not JSON: \(problem)", final: true)
                }
            } else {
                await record(job.id) { try await $0.finish(id: job.id, worker: id, result: result) }
            }
        case let .threw(error):
            if Task.isCancelled {
                await giveBack(job.id)
            } else {
                await record(job.id) {
                    try await $0.fail(id: job.id, worker: id, error: String(describing: error), final: error is any FinalJobError)
                }
            }
        case .leaseLost:
            onEvent(.leaseLost(job.id))
        }
    }

    private enum Outcome: Sendable {
        case returned(String)
        case threw(any Error)
        case leaseLost
    }

    /// Runs the handler beside a heartbeat that renews the lease; a lost lease cancels the handler, since
    /// another worker now runs the job and this run's outcome could not be stored anyway.
    private func perform(_ job: Job, with handler: @escaping Handler) async -> Outcome {
        await withTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                do { return .returned(try await handler(job)) } catch { return .threw(error) }
            }
            group.addTask { await heartbeat(job.id) }
            for await outcome in group {
                if let outcome {
                    group.cancelAll()
                    return outcome
                }
            }
            // The handler's task always yields an outcome; the loop above returns with it.
            return .threw(CancellationError())
        }
    }

    /// Renews the lease every third of it until cancelled (nil) or until the lease is found lost.
    private func heartbeat(_ id: JobID) async -> Outcome? {
        let interval = Duration.microseconds(max(1, lease.microseconds / 3))
        while true {
            do {
                try await Task.sleep(for: interval)
                try await jobs.renewLease(id: id, worker: self.id, lease: lease)
                onEvent(.leaseRenewed(id))
            } catch JobQueueError.leaseLost {
                return .leaseLost
            } catch {
                if Task.isCancelled { return nil }
                // A busy file: the next beat tries again, and the lease has two more beats' worth of slack.
                onEvent(.storageError("renewing the lease on job \(id): \(error)"))
            }
        }
    }

    /// Stores a job's outcome in a task of its own, so that a worker being stopped still records what its
    /// handler finished (GRDB refuses database work in a cancelled task).
    private func record(_ id: JobID, _ write: @escaping @Sendable (JobQueue) async throws -> Job) async {
        let jobs = self.jobs
        switch await Task(operation: { try await write(jobs) }).result {
        case let .success(job):
            switch job.status {
            case .finished: onEvent(.finished(job))
            case .queued: onEvent(.retrying(job))
            default: onEvent(.failed(job))
            }
        case .failure(JobQueueError.leaseLost):
            onEvent(.leaseLost(id))
        case let .failure(error):
            onEvent(.storageError("recording the outcome of job \(id): \(error)"))
        }
    }

    /// Gives a job whose handler was stopped back to the queue, so that the next worker runs it at once
    /// rather than after the lease runs out.
    private func giveBack(_ id: JobID) async {
        let jobs = self.jobs
        let worker = self.id
        switch await Task(operation: { try await jobs.release(id: id, worker: worker) }).result {
        case .success:
            onEvent(.released(id))
        case .failure(JobQueueError.leaseLost):
            onEvent(.leaseLost(id))
        case let .failure(error):
            onEvent(.storageError("giving job \(id) back to the queue: \(error)"))
        }
    }

    private func purge() async {
        do {
            let purged = try await jobs.purgeExpired()
            if purged > 0 { onEvent(.purged(purged)) }
        } catch is CancellationError {
            return
        } catch {
            onEvent(.storageError("purging expired jobs: \(error)"))
        }
    }
}
