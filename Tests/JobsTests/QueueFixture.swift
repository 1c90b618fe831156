import BeliefStore
import Beliefs
import Foundation
import Jobs
import Synchronization
import TestSupport
import SiteDatabase

/// A job queue over a fresh database file holding the site's migrations up to the queue's, with a clock
/// that the test moves by hand (or the wall clock, for tests of the worker's heartbeat).
struct QueueFixture {
    static let migrations = [BeliefStoreSchema.sensorsAndSources, BeliefStoreSchema.beliefSegments] + JobsSchema.all
    static let origin = Instant(secondsSinceEpoch: 1_700_000_000)

    let file: TemporaryDatabase
    let site: SiteDatabase
    let clock: TestClock
    let jobs: JobQueue

    init(maximumAttempts: Int = 3, wallClock: Bool = false) throws {
        file = try TemporaryDatabase()
        site = try SiteDatabase(path: file.path, migrations: Self.migrations)
        clock = TestClock(Self.origin)
        jobs = wallClock
            ? JobQueue(database: site, maximumAttempts: maximumAttempts)
            : JobQueue(database: site, maximumAttempts: maximumAttempts, clock: { [clock] in clock.now })
    }

    /// Queues a job with a small JSON payload naming `label`.
    @discardableResult
    func enqueue(
        _ label: String, on queue: QueueName = .scheduling, kind: String = "echo", timeToLive: Timespan = .days(7)
    ) async throws -> JobID {
        try await jobs.enqueue(queue: queue, kind: kind, payload: #"{"label":"\#(label)"}"#, timeToLive: timeToLive)
    }
}

/// A clock that stands still until the test moves it.
final class TestClock: Sendable {
    private let instant: Mutex<Instant>

    init(_ start: Instant) {
        instant = Mutex(start)
    }

    var now: Instant { instant.withLock { $0 } }

    func advance(by span: Timespan) {
        instant.withLock { $0 = $0 + span }
    }
}

/// Hands the events a worker reports to the test, in order.
struct WorkerEvents {
    let report: @Sendable (JobWorkerEvent) -> Void
    private var iterator: AsyncStream<JobWorkerEvent>.Iterator

    init() {
        let (stream, continuation) = AsyncStream.makeStream(of: JobWorkerEvent.self)
        report = { continuation.yield($0) }
        iterator = stream.makeAsyncIterator()
    }

    /// The next event for which `matches` holds, skipping others (the tests' time limits guard the wait).
    mutating func next(where matches: (JobWorkerEvent) -> Bool) async -> JobWorkerEvent {
        while let event = await iterator.next() {
            if matches(event) { return event }
        }
        fatalError("the event stream never ends")
    }

    /// The next job that the worker finished or failed.
    mutating func nextDone() async -> Job {
        let event = await next { event in
            switch event {
            case .finished, .failed: true
            default: false
            }
        }
        switch event {
        case let .finished(job), let .failed(job): return job
        default: fatalError("filtered above")
        }
    }
}

/// An error whose description a failed job must record.
struct HandlerFailure: Error, CustomStringConvertible {
    let description: String
}

extension QueueFixture {
    /// A scheduling worker with `handlers` registered, reporting to `events`. Idle workers poll once an hour by
    /// default, so that only the in-process wake-up brings them a job in a test's time.
    func worker(
        id: String? = nil,
        lease: Timespan = .seconds(30),
        idleInterval: Duration = .seconds(3600),
        events: WorkerEvents,
        handlers: [String: JobWorker.Handler]
    ) -> JobWorker {
        Self.worker(jobs: jobs, id: id, lease: lease, idleInterval: idleInterval, events: events, handlers: handlers)
    }

    /// A scheduling worker over any queue (the kill test opens its own).
    static func worker(
        jobs: JobQueue,
        id: String? = nil,
        lease: Timespan = .seconds(30),
        idleInterval: Duration = .seconds(3600),
        events: WorkerEvents,
        handlers: [String: JobWorker.Handler]
    ) -> JobWorker {
        var worker = JobWorker(
            jobs: jobs, queue: .scheduling, id: id, lease: lease, idleInterval: idleInterval, onEvent: events.report
        )
        for (kind, handler) in handlers {
            worker.register(kind: kind, handler: handler)
        }
        return worker
    }
}
