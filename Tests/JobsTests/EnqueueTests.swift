import BeliefStore
import Beliefs
import GRDB
import Jobs
import Testing

@Suite struct EnqueueTests {
    @Test func aNewJobIsQueuedWithItsCreationTimeAndTimeToLive() async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.jobs.enqueue(
            queue: .scheduling, kind: "schedule-asset", payload: #"{"asset":3}"#, timeToLive: .days(7)
        )
        let job = try #require(try await fixture.jobs.job(id: id))
        #expect(job.queue == .scheduling)
        #expect(job.kind == "schedule-asset")
        #expect(job.payload == #"{"asset":3}"#)
        #expect(job.status == .queued)
        #expect(job.createdAt == QueueFixture.origin)
        #expect(job.timeToLive == .days(7))
        #expect(job.startedAt == nil && job.finishedAt == nil && job.expiresAt == nil)
        #expect(job.result == nil && job.error == nil && job.worker == nil && job.leaseExpiresAt == nil)
        #expect(job.attempts == 0)
    }

    @Test func jobsOfOneQueueAreClaimedOldestFirst() async throws {
        let fixture = try QueueFixture()
        var queued: [JobID] = []
        for n in 0..<5 { queued.append(try await fixture.enqueue("job \(n)")) }
        var claimed: [JobID] = []
        while let job = try await fixture.jobs.claim(queue: .scheduling, worker: "w", lease: .seconds(30)) {
            claimed.append(job.id)
        }
        #expect(claimed == queued)
    }

    @Test func queuesAreKeptApart() async throws {
        let fixture = try QueueFixture()
        let schedule = try await fixture.enqueue("schedule", on: .scheduling)
        let forecast = try await fixture.enqueue("forecast", on: .forecasting)
        #expect(try await fixture.jobs.claim(queue: .forecasting, worker: "f", lease: .seconds(30))?.id == forecast)
        #expect(try await fixture.jobs.claim(queue: .forecasting, worker: "f", lease: .seconds(30)) == nil)
        #expect(try await fixture.jobs.claim(queue: .scheduling, worker: "s", lease: .seconds(30))?.id == schedule)
        #expect(try await fixture.jobs.claim(queue: .scheduling, worker: "s", lease: .seconds(30)) == nil)
    }

    @Test func listingFiltersByQueueAndStatus() async throws {
        let fixture = try QueueFixture()
        let first = try await fixture.enqueue("a")
        let second = try await fixture.enqueue("b")
        let forecast = try await fixture.enqueue("c", on: .forecasting)
        _ = try await fixture.jobs.claim(queue: .scheduling, worker: "w", lease: .seconds(30))

        #expect(try await fixture.jobs.jobs().map(\.id) == [first, second, forecast])
        #expect(try await fixture.jobs.jobs(queue: .scheduling).map(\.id) == [first, second])
        #expect(try await fixture.jobs.jobs(queue: .scheduling, status: .queued).map(\.id) == [second])
        #expect(try await fixture.jobs.jobs(status: .started).map(\.id) == [first])
        #expect(try await fixture.jobs.jobs(queue: .forecasting, status: .started).isEmpty)
    }

    static let invalidPayloads: [String] = ["", "{", "not json", #"{"a":}"#, "[1, 2"]

    @Test(arguments: invalidPayloads)
    func aPayloadThatIsNotJSONIsRefused(payload: String) async throws {
        let fixture = try QueueFixture()
        await #expect {
            try await fixture.jobs.enqueue(queue: .scheduling, kind: "echo", payload: payload, timeToLive: .days(1))
        } throws: { error in
            if case JobQueueError.invalidJSON(field: "payload", _) = error { return true }
            return false
        }
        #expect(try await fixture.jobs.jobs().isEmpty)
    }

    static let validPayloads: [String] = ["{}", "[]", "null", "42", #""text""#, #"{"targets":[{"value":25}]}"#]

    @Test(arguments: validPayloads)
    func anyJSONValueIsAPayload(payload: String) async throws {
        let fixture = try QueueFixture()
        let id = try await fixture.jobs.enqueue(queue: .forecasting, kind: "echo", payload: payload, timeToLive: .days(1))
        #expect(try await fixture.jobs.job(id: id)?.payload == payload)
    }

    @Test func aJobNeedsAKind() async throws {
        let fixture = try QueueFixture()
        await #expect(throws: JobQueueError.emptyKind) {
            try await fixture.jobs.enqueue(queue: .scheduling, kind: "", payload: "{}", timeToLive: .days(1))
        }
    }

    static let queueNames: [(name: String, queue: QueueName?)] = [
        ("scheduling", .scheduling), ("forecasting", .forecasting),
        ("Scheduling", nil), ("default", nil), ("", nil), ("scheduling ", nil),
    ]

    @Test(arguments: queueNames)
    func queueNamesFromOutsideAreValidated(name: String, queue: QueueName?) throws {
        if let queue {
            #expect(try QueueName(validating: name) == queue)
        } else {
            #expect(throws: JobQueueError.unknownQueue(name)) { try QueueName(validating: name) }
            #expect(JobQueueError.unknownQueue(name).description.contains("scheduling, forecasting"))
        }
    }

    @Test func theTableRefusesAQueueNoReleaseKnows() async throws {
        let fixture = try QueueFixture()
        #expect(throws: DatabaseError.self) {
            try fixture.site.pool.write { db in
                try db.execute(sql: """
                    INSERT INTO job (queue, kind, payload, status, created_at_us) VALUES ('default', 'echo', '{}', 'queued', 0)
                    """)
            }
        }
    }

    @Test func aJobQueuedInsideACallersTransactionCommitsOrRollsBackWithIt() async throws {
        let fixture = try QueueFixture()
        let jobs = fixture.jobs
        await #expect(throws: HandlerFailure.self) {
            try await fixture.site.pool.write { db in
                try jobs.enqueue(queue: .scheduling, kind: "schedule-asset", payload: "{}", timeToLive: .days(1), in: db)
                throw HandlerFailure(description: "the UDI event was refused")
            }
        }
        #expect(try await jobs.jobs().isEmpty)

        let id = try await fixture.site.pool.write { db in
            try jobs.enqueue(queue: .scheduling, kind: "schedule-asset", payload: "{}", timeToLive: .days(1), in: db)
        }
        #expect(try await jobs.job(id: id)?.status == .queued)
    }

    @Test func theMigrationIsNumberedAfterTheBeliefStore() throws {
        #expect(JobsSchema.all.map(\.identifier) == ["0004_jobs", "0008_job_retries"])
        #expect(QueueFixture.migrations.last?.identifier == "0008_job_retries")
    }
}
