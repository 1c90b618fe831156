import Beliefs
import GRDB
import Jobs
import SiteDatabase
import Synchronization
import Testing

/// Jobs with a retry policy: a failed run waits its backoff and runs again, up to its attempts; without a
/// policy a job fails at its first error, as before. The clock is the fixture's, moved by hand.
@Suite(.timeLimit(.minutes(1))) struct RetryTests {
    static let policy = RetryPolicy(maximumAttempts: 4, initialDelay: .seconds(10), maximumDelay: .seconds(25))

    @Test func theBackoffDoublesUpToItsMaximum() {
        #expect((1...5).map { Self.policy.delay(afterAttempt: $0) } == [.seconds(10), .seconds(20), .seconds(25), .seconds(25), .seconds(25)])
    }

    @Test func aFailedRunWaitsItsBackoffAndRunsAgainUntilItsAttemptsAreUsedUp() async throws {
        let fixture = try QueueFixture()
        let jobs = fixture.jobs
        let id = try await jobs.enqueue(queue: .delivery, kind: "deliver", payload: "{}", timeToLive: .days(1), retry: Self.policy)

        var waits: [Timespan] = []
        for attempt in 1...3 {
            let claimed = try #require(try await jobs.claim(queue: .delivery, worker: "w", lease: .seconds(30)))
            #expect(claimed.id == id && claimed.attempts == attempt)
            let failed = try await jobs.fail(id: id, worker: "w", error: "refused \(attempt)")
            #expect(failed.status == .queued, "attempt \(attempt) of 4 is tried again")
            #expect(failed.error == "refused \(attempt)", "the reason stays visible while it waits")
            let runAfter = try #require(failed.runAfter)
            waits.append(runAfter - fixture.clock.now)
            #expect(try await jobs.claim(queue: .delivery, worker: "w", lease: .seconds(30)) == nil, "not before its backoff")
            fixture.clock.advance(by: runAfter - fixture.clock.now - .seconds(1))
            #expect(try await jobs.claim(queue: .delivery, worker: "w", lease: .seconds(30)) == nil, "not a second early")
            fixture.clock.advance(by: .seconds(1))
        }
        #expect(waits == [.seconds(10), .seconds(20), .seconds(25)])

        _ = try #require(try await jobs.claim(queue: .delivery, worker: "w", lease: .seconds(30)))
        let given = try await jobs.fail(id: id, worker: "w", error: "refused 4")
        #expect(given.status == .failed, "the fourth failure is the last")
        #expect(given.error == "refused 4" && given.attempts == 4)
        #expect(try await jobs.jobs(queue: .delivery, status: .failed).map(\.id) == [id], "kept and listed, not dropped")
    }

    @Test func aJobWithoutAPolicyFailsAtItsFirstError() async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.enqueue("plain")
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "w", lease: .seconds(30))
        let failed = try await fixture.jobs.fail(id: id, worker: "w", error: "no prices")
        #expect(failed.status == .failed && failed.runAfter == nil && failed.retry == nil)
    }

    @Test func aFinalErrorFailsAJobWithAttemptsLeft() async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.jobs.enqueue(queue: .delivery, kind: "deliver", payload: "{}", timeToLive: .days(1), retry: Self.policy)
        _ = try await fixture.jobs.claim(queue: .delivery, worker: "w", lease: .seconds(30))
        #expect(try await fixture.jobs.fail(id: id, worker: "w", error: "not configured", final: true).status == .failed)
    }

    @Test func theWorkerReportsARetryAndRunsTheJobAgainOnceItsBackoffHasPassed() async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.jobs.enqueue(queue: .delivery, kind: "flaky", payload: "{}", timeToLive: .days(1), retry: Self.policy)
        let runs = Counter()
        var events = WorkerEvents()
        var worker = JobWorker(jobs: fixture.jobs, queue: .delivery, id: "w", idleInterval: .seconds(3600), onEvent: events.report)
        worker.register(kind: "flaky") { _ in
            if runs.increment() == 1 { throw HandlerFailure(description: "HTTP 500") }
            return "{}"
        }
        await worker.runUntilIdle()
        let retry = await events.next { if case .retrying = $0 { true } else { false } }
        guard case let .retrying(job) = retry else { return }
        #expect(job.id == id && job.error == "HTTP 500" && job.runAfter == fixture.clock.now + .seconds(10))

        await worker.runUntilIdle()
        #expect(runs.value == 1, "the backoff holds the job back")
        fixture.clock.advance(by: .seconds(10))
        await worker.runUntilIdle()
        #expect(runs.value == 2)
        #expect(try await fixture.jobs.job(id: id)?.status == .finished)
    }

    @Test func aJobWithAPolicyIsClaimedAgainAfterItsWorkerDiedUpToItsOwnAttempts() async throws {
        let fixture = try QueueFixture(maximumAttempts: 2)
        let id = try await fixture.jobs.enqueue(queue: .delivery, kind: "deliver", payload: "{}", timeToLive: .days(1), retry: Self.policy)
        for attempt in 1...4 {
            let claimed = try await fixture.jobs.claim(queue: .delivery, worker: "dies", lease: .seconds(30))
            #expect(claimed?.attempts == attempt, "its policy's 4 attempts, not the queue's 2")
            fixture.clock.advance(by: .seconds(31))
        }
        let outcome = try await fixture.jobs.claimReportingGiveUps(queue: .delivery, worker: "dies", lease: .seconds(30))
        #expect(outcome.claimed == nil && outcome.givenUp.map(\.id) == [id])
    }
}

/// Counts a handler's runs across tasks.
final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() -> Int { count.withLock { $0 += 1; return $0 } }
    var value: Int { count.withLock { $0 } }
}
