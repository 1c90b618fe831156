import Beliefs
import Jobs
import Testing

@Suite struct ClearQueueTests {
    @Test func clearingRemovesOnlyTheQueuedJobsOfThatQueue() async throws {
        let fixture = try QueueFixture()
        let jobs = fixture.jobs
        let started = try await fixture.enqueue("started")
        let finished = try await fixture.enqueue("finished")
        let failed = try await fixture.enqueue("failed")
        _ = try await jobs.claim(queue: .scheduling, worker: "w", lease: .seconds(30))
        _ = try await jobs.claim(queue: .scheduling, worker: "w", lease: .seconds(30))
        _ = try await jobs.claim(queue: .scheduling, worker: "w", lease: .seconds(30))
        try await jobs.finish(id: finished, worker: "w", result: "{}")
        try await jobs.fail(id: failed, worker: "w", error: "no prices")
        for n in 0..<3 { try await fixture.enqueue("queued \(n)") }
        let forecasts = [try await fixture.enqueue("f1", on: .forecasting), try await fixture.enqueue("f2", on: .forecasting)]

        #expect(try await jobs.clear(queue: .scheduling) == 3)

        #expect(try await jobs.jobs(queue: .scheduling).map(\.id) == [started, finished, failed])
        #expect(try await jobs.jobs(queue: .scheduling, status: .queued).isEmpty)
        #expect(try await jobs.jobs(queue: .forecasting, status: .queued).map(\.id) == forecasts)
        // The job in hand runs on and can still be finished by its worker.
        #expect(try await jobs.finish(id: started, worker: "w", result: "{}").status == .finished)
    }

    @Test func clearingAnEmptyQueueRemovesNothing() async throws {
        let fixture = try QueueFixture()
        try await fixture.enqueue("forecast", on: .forecasting)
        #expect(try await fixture.jobs.clear(queue: .scheduling) == 0)
        #expect(try await fixture.jobs.jobs().count == 1)
    }
}
