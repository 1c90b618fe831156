import Beliefs
import Jobs
import Testing

@Suite struct ConcurrentClaimTests {
    @Test func manyClaimersNeverGetTheSameJob() async throws {
        let fixture = try QueueFixture()
        var queued: [JobID] = []
        for n in 0..<200 { queued.append(try await fixture.enqueue("job \(n)")) }
        let jobs = fixture.jobs

        let claimed = try await withThrowingTaskGroup(of: [JobID].self) { group in
            for claimer in 0..<16 {
                group.addTask {
                    var mine: [JobID] = []
                    while let job = try await jobs.claim(queue: .scheduling, worker: "claimer \(claimer)", lease: .seconds(60)) {
                        mine.append(job.id)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [JobID]()) { $0 += $1 }
        }

        #expect(claimed.count == queued.count)
        #expect(Set(claimed).count == claimed.count, "no job was claimed twice")
        #expect(claimed.sorted() == queued)
        let started = try await jobs.jobs(status: .started)
        #expect(started.count == queued.count)
        #expect(started.allSatisfy { $0.attempts == 1 })
    }
}
