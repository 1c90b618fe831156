import Beliefs
import Jobs
import Testing

@Suite struct LeaseTests {
    @Test func aStartedJobIsNotClaimableWhileItsLeaseHolds() async throws {
        let fixture = try QueueFixture()
        try await fixture.enqueue("a")
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "w1", lease: .seconds(30))
        fixture.clock.advance(by: .seconds(29))
        #expect(try await fixture.jobs.claim(queue: .scheduling, worker: "w2", lease: .seconds(30)) == nil)
    }

    @Test func anExpiredLeaseMakesTheJobClaimableAgainWithAttemptsCounted() async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.enqueue("a")
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "w1", lease: .seconds(30))
        fixture.clock.advance(by: .seconds(30))
        let job = try #require(try await fixture.jobs.claim(queue: .scheduling, worker: "w2", lease: .seconds(10)))
        #expect(job.id == id)
        #expect(job.worker == "w2")
        #expect(job.attempts == 2)
        #expect(job.startedAt == QueueFixture.origin + .seconds(30))
        #expect(job.leaseExpiresAt == QueueFixture.origin + .seconds(40))
    }

    @Test func theStaleWorkerCannotTouchTheJobOnceAnotherHasIt() async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.enqueue("a")
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "stale", lease: .seconds(30))
        fixture.clock.advance(by: .seconds(31))
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "new", lease: .seconds(30))

        let lost = JobQueueError.leaseLost(job: id, worker: "stale")
        await #expect(throws: lost) { try await fixture.jobs.finish(id: id, worker: "stale", result: #""stale""#) }
        await #expect(throws: lost) { try await fixture.jobs.fail(id: id, worker: "stale", error: "stale") }
        await #expect(throws: lost) { try await fixture.jobs.renewLease(id: id, worker: "stale", lease: .seconds(30)) }
        await #expect(throws: lost) { try await fixture.jobs.release(id: id, worker: "stale") }

        let job = try await fixture.jobs.finish(id: id, worker: "new", result: #""new""#)
        #expect(job.result == #""new""#)
        await #expect(throws: lost) { try await fixture.jobs.finish(id: id, worker: "stale", result: #""stale""#) }
        #expect(try await fixture.jobs.job(id: id)?.result == #""new""#)
    }

    @Test func aWorkerPastItsLeaseMayStillFinishWhileNobodyElseTookTheJob() async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.enqueue("a")
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "slow", lease: .seconds(30))
        fixture.clock.advance(by: .minutes(5))
        #expect(try await fixture.jobs.finish(id: id, worker: "slow", result: "{}").status == .finished)
    }

    @Test func renewingTheLeaseKeepsOtherWorkersAway() async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.enqueue("a")
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "w1", lease: .seconds(30))
        fixture.clock.advance(by: .seconds(20))
        let expiry = try await fixture.jobs.renewLease(id: id, worker: "w1", lease: .seconds(30))
        #expect(expiry == QueueFixture.origin + .seconds(50))
        #expect(try await fixture.jobs.job(id: id)?.leaseExpiresAt == expiry)

        fixture.clock.advance(by: .seconds(29))
        #expect(try await fixture.jobs.claim(queue: .scheduling, worker: "w2", lease: .seconds(30)) == nil)
        fixture.clock.advance(by: .seconds(1))
        #expect(try await fixture.jobs.claim(queue: .scheduling, worker: "w2", lease: .seconds(30))?.id == id)
    }

    @Test func anAbandonedJobComesBeforeNewerQueuedOnes() async throws {
        let fixture = try QueueFixture()
        let older = try await fixture.enqueue("older")
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "w1", lease: .seconds(30))
        let newer = try await fixture.enqueue("newer")
        fixture.clock.advance(by: .seconds(30))
        #expect(try await fixture.jobs.claim(queue: .scheduling, worker: "w2", lease: .seconds(30))?.id == older)
        #expect(try await fixture.jobs.claim(queue: .scheduling, worker: "w2", lease: .seconds(30))?.id == newer)
    }

    @Test func aJobWhoseWorkersKeepDyingIsFailedAfterTheLastAllowedAttempt() async throws {
        let fixture = try QueueFixture(maximumAttempts: 2)
        let id = try await fixture.enqueue("poison", timeToLive: .days(1))
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "w1", lease: .seconds(30))
        fixture.clock.advance(by: .seconds(30))
        #expect(try await fixture.jobs.claim(queue: .scheduling, worker: "w2", lease: .seconds(30))?.attempts == 2)
        fixture.clock.advance(by: .seconds(30))
        #expect(try await fixture.jobs.claim(queue: .scheduling, worker: "w3", lease: .seconds(30)) == nil)

        let job = try #require(try await fixture.jobs.job(id: id))
        #expect(job.status == .failed)
        #expect(job.error?.contains("given up after 2 attempts") == true)
        #expect(job.finishedAt == QueueFixture.origin + .seconds(60))
        #expect(job.expiresAt == QueueFixture.origin + .seconds(60) + .days(1))
    }

    static let invalidLeases: [Timespan] = [.zero, -.seconds(1)]

    @Test(arguments: invalidLeases)
    func aLeaseMustBeLongerThanZero(lease: Timespan) async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.enqueue("a")
        await #expect(throws: JobQueueError.invalidLease(lease)) {
            try await fixture.jobs.claim(queue: .scheduling, worker: "w1", lease: lease)
        }
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "w1", lease: .seconds(30))
        await #expect(throws: JobQueueError.invalidLease(lease)) {
            try await fixture.jobs.renewLease(id: id, worker: "w1", lease: lease)
        }
    }
}
