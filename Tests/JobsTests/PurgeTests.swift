import Beliefs
import Jobs
import Testing

@Suite struct PurgeTests {
    @Test func purgingRemovesOnlyFinishedAndFailedJobsPastTheirTimeToLive() async throws {
        let fixture = try QueueFixture()
        let jobs = fixture.jobs
        let finishedEarly = try await fixture.enqueue("finished early", timeToLive: .days(1))
        let failedEarly = try await fixture.enqueue("failed early", timeToLive: .days(1))
        let keptForGood = try await fixture.enqueue("kept", timeToLive: -.seconds(1))
        let forecast = try await fixture.enqueue("forecast", on: .forecasting, timeToLive: .days(1))
        for _ in 0..<3 { _ = try await jobs.claim(queue: .scheduling, worker: "w", lease: .days(30)) }
        _ = try await jobs.claim(queue: .forecasting, worker: "w", lease: .days(30))
        try await jobs.finish(id: finishedEarly, worker: "w", result: "{}")
        try await jobs.fail(id: failedEarly, worker: "w", error: "no prices")
        try await jobs.finish(id: keptForGood, worker: "w", result: "{}")
        try await jobs.finish(id: forecast, worker: "w", result: "{}")

        fixture.clock.advance(by: .hours(12))
        let finishedLater = try await fixture.enqueue("finished later", timeToLive: .days(1))
        let startedLongAgo = try await fixture.enqueue("started", timeToLive: .seconds(1))
        let stillQueued = try await fixture.enqueue("queued", timeToLive: .seconds(1))
        _ = try await jobs.claim(queue: .scheduling, worker: "w", lease: .days(30))
        _ = try await jobs.claim(queue: .scheduling, worker: "w", lease: .days(30))
        try await jobs.finish(id: finishedLater, worker: "w", result: "{}")

        #expect(try await jobs.purgeExpired(now: QueueFixture.origin + .days(1) - .seconds(1)) == 0)
        #expect(try await jobs.purgeExpired(now: QueueFixture.origin + .days(1)) == 3)
        #expect(try await jobs.jobs().map(\.id) == [keptForGood, finishedLater, startedLongAgo, stillQueued])
        #expect(try await jobs.purgeExpired(now: QueueFixture.origin + .days(365)) == 1)
        #expect(try await jobs.jobs().map(\.id) == [keptForGood, startedLongAgo, stillQueued])
    }

    @Test func purgingUsesTheQueuesClockWhenNotTold() async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.enqueue("a", timeToLive: .hours(1))
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "w", lease: .seconds(30))
        try await fixture.jobs.finish(id: id, worker: "w", result: "{}")
        #expect(try await fixture.jobs.purgeExpired() == 0)
        fixture.clock.advance(by: .hours(1))
        #expect(try await fixture.jobs.purgeExpired() == 1)
    }

    @Test func idsAreNotReusedAfterAPurge() async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.enqueue("a", timeToLive: .zero)
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "w", lease: .seconds(30))
        try await fixture.jobs.finish(id: id, worker: "w", result: "{}")
        #expect(try await fixture.jobs.purgeExpired() == 1)
        #expect(try await fixture.enqueue("b") > id)
    }
}
