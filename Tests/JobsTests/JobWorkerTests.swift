import BeliefStore
import Beliefs
import GRDB
import Jobs
import Testing

/// The worker loop end to end. Waits end with an event or a job's state, never a sleep; the time limit is
/// only a safety net for a worker that hangs.
@Suite(.timeLimit(.minutes(1))) struct JobWorkerTests {
    /// A worker that echoes payloads, reporting to `events`.
    static func echoWorker(_ fixture: QueueFixture, events: WorkerEvents) -> JobWorker {
        fixture.worker(id: "test-worker", events: events, handlers: ["echo": { job in job.payload }])
    }

    @Test func theWorkerRunsQueuedJobsInOrderAndStopsOnCancellation() async throws {
        let fixture = try QueueFixture()
        var events = WorkerEvents()
        var queued: [JobID] = []
        for n in 0..<3 { queued.append(try await fixture.enqueue("job \(n)")) }
        let forecast = try await fixture.enqueue("not mine", on: .forecasting)

        let worker = Self.echoWorker(fixture, events: events)
        let running = Task { await worker.run() }
        var done: [Job] = []
        for _ in queued { done.append(await events.nextDone()) }
        running.cancel()
        await running.value

        #expect(done.map(\.id) == queued)
        for (n, job) in done.enumerated() {
            #expect(job.status == .finished)
            #expect(job.result == #"{"label":"job \#(n)"}"#)
            #expect(job.worker == "test-worker")
            #expect(try await fixture.jobs.job(id: job.id) == job)
        }
        #expect(try await fixture.jobs.job(id: forecast)?.status == .queued, "another queue's job is left alone")
    }

    static let enqueueWays: [(name: String, insideCallersTransaction: Bool)] = [
        ("enqueue in a transaction of its own", false), ("enqueue in the caller's transaction", true),
    ]

    @Test(arguments: enqueueWays)
    func anIdleWorkerWakesUpWhenAJobIsQueuedInProcess(name: String, insideCallersTransaction: Bool) async throws {
        let fixture = try QueueFixture()
        // An expired job makes the worker's first idle round report a purge, right before it goes to sleep.
        let expired = try await fixture.enqueue("expired", timeToLive: .zero)
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "earlier", lease: .seconds(30))
        try await fixture.jobs.finish(id: expired, worker: "earlier", result: "{}")

        var events = WorkerEvents()
        // An hour between polls: only the in-process wake-up can bring the job to the worker in time.
        let worker = Self.echoWorker(fixture, events: events)
        let running = Task { await worker.run() }
        _ = await events.next { if case .purged(1) = $0 { true } else { false } }
        let jobs = fixture.jobs
        let id = insideCallersTransaction
            ? try await fixture.site.pool.write { db in
                try jobs.enqueue(queue: .scheduling, kind: "echo", payload: "{}", timeToLive: .days(1), in: db)
            }
            : try await fixture.enqueue("late")
        let job = await events.nextDone()
        running.cancel()
        await running.value
        #expect(job.id == id)
        #expect(job.status == .finished)
    }

    @Test func aFailingHandlerRecordsItsError() async throws {
        let fixture = try QueueFixture()
        var events = WorkerEvents()
        let worker = fixture.worker(events: events, handlers: ["schedule-asset": { _ in
            throw HandlerFailure(description: "Scheduling job failed: prices unknown for the planning window")
        }])
        let id = try await fixture.enqueue("a", kind: "schedule-asset")
        let running = Task { await worker.run() }
        let job = await events.nextDone()
        running.cancel()
        await running.value

        #expect(job.id == id)
        #expect(job.status == .failed)
        #expect(job.error == "Scheduling job failed: prices unknown for the planning window")
        #expect(job.finishedAt != nil && job.expiresAt != nil && job.leaseExpiresAt == nil)
    }

    @Test func aJobOfAnUnknownKindFailsSayingSo() async throws {
        let fixture = try QueueFixture()
        var events = WorkerEvents()
        let worker = Self.echoWorker(fixture, events: events)
        let id = try await fixture.enqueue("a", kind: "forecast-weather")
        let running = Task { await worker.run() }
        let job = await events.nextDone()
        running.cancel()
        await running.value

        #expect(job.id == id)
        #expect(job.status == .failed)
        let error = try #require(job.error)
        #expect(error.contains(#"unknown job kind "forecast-weather""#))
        #expect(error.contains("known kinds: echo"))
    }

    @Test func aHandlerResultThatIsNotJSONFailsTheJob() async throws {
        let fixture = try QueueFixture()
        var events = WorkerEvents()
        let worker = fixture.worker(events: events, handlers: ["echo": { _ in "plan: none" }])
        try await fixture.enqueue("a")
        let running = Task { await worker.run() }
        let job = await events.nextDone()
        running.cancel()
        await running.value

        #expect(job.status == .failed)
        #expect(job.error?.contains("not JSON") == true)
    }

    @Test func stoppingTheWorkerGivesTheJobInHandBackToTheQueue() async throws {
        let fixture = try QueueFixture()
        var events = WorkerEvents()
        let worker = fixture.worker(events: events, handlers: ["echo": { _ in
            try await Task.sleep(for: .seconds(3600))
            return "{}"
        }])
        let id = try await fixture.enqueue("long")
        let running = Task { await worker.run() }
        _ = await events.next { if case .claimed = $0 { true } else { false } }
        running.cancel()
        await running.value

        _ = await events.next { if case .released(id) = $0 { true } else { false } }
        let job = try #require(try await fixture.jobs.job(id: id))
        #expect(job.status == .queued)
        #expect(job.attempts == 1)
    }

    @Test func aHandlerThatCompletesDespiteTheStopHasItsResultStored() async throws {
        let fixture = try QueueFixture()
        var events = WorkerEvents()
        let worker = fixture.worker(events: events, handlers: ["echo": { job in
            // Wraps up on cancellation instead of giving up: what it returns is worth keeping.
            try? await Task.sleep(for: .seconds(3600))
            return job.payload
        }])
        let id = try await fixture.enqueue("a")
        let running = Task { await worker.run() }
        _ = await events.next { if case .claimed = $0 { true } else { false } }
        running.cancel()
        await running.value

        let job = try #require(try await fixture.jobs.job(id: id))
        #expect(job.status == .finished)
        #expect(job.result == #"{"label":"a"}"#)
    }

    @Test func theHeartbeatRenewsTheLeaseWhileTheHandlerRuns() async throws {
        let fixture = try QueueFixture(wallClock: true)
        var events = WorkerEvents()
        let jobs = fixture.jobs
        let worker = fixture.worker(lease: Timespan(microseconds: 300_000), events: events, handlers: ["echo": { job in
            // Done once the lease has been renewed past the one the claim gave.
            while let current = try await jobs.job(id: job.id)?.leaseExpiresAt, current == job.leaseExpiresAt {
                try await Task.sleep(for: .milliseconds(20))
            }
            return "{}"
        }])
        let id = try await fixture.enqueue("a")
        let running = Task { await worker.run() }
        let job = await events.nextDone()
        running.cancel()
        await running.value
        #expect(job.id == id)
        #expect(job.status == .finished)
        #expect(job.attempts == 1)
    }

    @Test func aWorkerThatLostItsLeaseStopsItsHandlerAndStoresNothing() async throws {
        let fixture = try QueueFixture(wallClock: true)
        var events = WorkerEvents()
        let worker = fixture.worker(id: "loser", lease: Timespan(microseconds: 150_000), events: events, handlers: ["echo": { _ in
            try await Task.sleep(for: .seconds(3600))
            return #""too late""#
        }])
        let id = try await fixture.enqueue("a")
        let running = Task { await worker.run() }
        _ = await events.next { if case .claimed = $0 { true } else { false } }
        // Another worker takes the job over, as after a lease that ran out while this one was stalled.
        try await fixture.site.pool.write { db in
            try db.execute(
                sql: "UPDATE job SET worker = 'winner', lease_expires_at_us = lease_expires_at_us + 3600000000 WHERE id = ?",
                arguments: [id]
            )
        }
        _ = await events.next { if case .leaseLost(id) = $0 { true } else { false } }
        running.cancel()
        await running.value

        let job = try #require(try await fixture.jobs.job(id: id))
        #expect(job.status == .started)
        #expect(job.worker == "winner")
        #expect(job.result == nil)
    }

    @Test func workerIDsAreUniqueAndNameTheirQueue() {
        let first = JobWorker.makeID(queue: .forecasting)
        let second = JobWorker.makeID(queue: .forecasting)
        #expect(first != second)
        #expect(first.hasPrefix("forecasting@"))
    }
}
