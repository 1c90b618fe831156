import Beliefs
import Jobs
import Testing

@Suite struct StatusTransitionTests {
    @Test func claimingStartsTheJobUnderALease() async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.enqueue("a")
        fixture.clock.advance(by: .seconds(5))
        let job = try #require(try await fixture.jobs.claim(queue: .scheduling, worker: "w1", lease: .seconds(30)))
        #expect(job.id == id)
        #expect(job.status == .started)
        #expect(job.worker == "w1")
        #expect(job.startedAt == QueueFixture.origin + .seconds(5))
        #expect(job.leaseExpiresAt == QueueFixture.origin + .seconds(35))
        #expect(job.attempts == 1)
        #expect(try await fixture.jobs.job(id: id) == job)
    }

    @Test func finishingRecordsTheResultAndWhenTheJobExpires() async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.enqueue("a", timeToLive: .days(7))
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "w1", lease: .seconds(30))
        fixture.clock.advance(by: .seconds(2))
        let job = try await fixture.jobs.finish(id: id, worker: "w1", result: #"{"plan":[1,2]}"#)
        #expect(job.status == .finished)
        #expect(job.result == #"{"plan":[1,2]}"#)
        #expect(job.error == nil)
        #expect(job.startedAt == QueueFixture.origin)
        #expect(job.finishedAt == QueueFixture.origin + .seconds(2))
        #expect(job.expiresAt == QueueFixture.origin + .seconds(2) + .days(7))
        #expect(job.leaseExpiresAt == nil)
        #expect(job.worker == "w1", "the worker that ran it stays on record")
        #expect(try await fixture.jobs.job(id: id) == job)
    }

    @Test func failingRecordsWhy() async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.enqueue("a", timeToLive: .hours(1))
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "w1", lease: .seconds(30))
        fixture.clock.advance(by: .seconds(3))
        let job = try await fixture.jobs.fail(id: id, worker: "w1", error: "prices unknown for the planning window")
        #expect(job.status == .failed)
        #expect(job.error == "prices unknown for the planning window")
        #expect(job.result == nil)
        #expect(job.finishedAt == QueueFixture.origin + .seconds(3))
        #expect(job.expiresAt == QueueFixture.origin + .seconds(3) + .hours(1))
        #expect(try await fixture.jobs.job(id: id) == job)
    }

    @Test func aNegativeTimeToLiveKeepsTheJobForGood() async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.enqueue("a", timeToLive: -.seconds(1))
        #expect(try await fixture.jobs.job(id: id)?.timeToLive == nil)
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "w1", lease: .seconds(30))
        let job = try await fixture.jobs.finish(id: id, worker: "w1", result: "{}")
        #expect(job.expiresAt == nil)
    }

    @Test func aResultThatIsNotJSONIsRefusedAndTheJobStaysStarted() async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.enqueue("a")
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "w1", lease: .seconds(30))
        await #expect {
            try await fixture.jobs.finish(id: id, worker: "w1", result: "plan: [1, 2]")
        } throws: { error in
            if case JobQueueError.invalidJSON(field: "result", _) = error { return true }
            return false
        }
        #expect(try await fixture.jobs.job(id: id)?.status == .started)
    }

    @Test func aDoneJobCannotBeFinishedOrFailedAgain() async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.enqueue("a")
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "w1", lease: .seconds(30))
        let done = try await fixture.jobs.finish(id: id, worker: "w1", result: "1")
        await #expect(throws: JobQueueError.leaseLost(job: id, worker: "w1")) {
            try await fixture.jobs.fail(id: id, worker: "w1", error: "late")
        }
        await #expect(throws: JobQueueError.leaseLost(job: id, worker: "w1")) {
            try await fixture.jobs.finish(id: id, worker: "w1", result: "2")
        }
        #expect(try await fixture.jobs.job(id: id) == done)
    }

    @Test func aQueuedJobCannotBeFinishedWithoutAClaim() async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.enqueue("a")
        await #expect(throws: JobQueueError.leaseLost(job: id, worker: "w1")) {
            try await fixture.jobs.finish(id: id, worker: "w1", result: "{}")
        }
        #expect(try await fixture.jobs.job(id: id)?.status == .queued)
    }

    @Test func anUnknownJobIsSaidToBeUnknown() async throws {
        let fixture = try QueueFixture()
        #expect(try await fixture.jobs.job(id: 42) == nil)
        await #expect(throws: JobQueueError.unknownJob(42)) {
            try await fixture.jobs.finish(id: 42, worker: "w1", result: "{}")
        }
        await #expect(throws: JobQueueError.unknownJob(42)) {
            try await fixture.jobs.renewLease(id: 42, worker: "w1", lease: .seconds(1))
        }
    }

    @Test func aReleasedJobIsQueuedAgainAndClaimedNext() async throws {
        let fixture = try QueueFixture()
        let first = try await fixture.enqueue("a")
        let second = try await fixture.enqueue("b")
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "w1", lease: .seconds(30))
        try await fixture.jobs.release(id: first, worker: "w1")
        let released = try #require(try await fixture.jobs.job(id: first))
        #expect(released.status == .queued)
        #expect(released.leaseExpiresAt == nil && released.startedAt == nil)

        let again = try #require(try await fixture.jobs.claim(queue: .scheduling, worker: "w2", lease: .seconds(30)))
        #expect(again.id == first, "the oldest job first, also when it was given back")
        #expect(again.attempts == 2)
        #expect(try await fixture.jobs.claim(queue: .scheduling, worker: "w2", lease: .seconds(30))?.id == second)
    }
}
