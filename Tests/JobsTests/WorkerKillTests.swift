import BeliefStore
import Beliefs
import Foundation
import GRDB
import Jobs
import Synchronization
import Testing
import TestSupport
import SiteDatabase

/// Kills a worker process (`kill -9`) in the middle of a job and checks that the job is taken up again once
/// the dead worker's lease has run out, finished by another worker, and that SQLite finds the file intact.
@Suite(.serialized, .timeLimit(.minutes(1))) struct WorkerKillTests {
    static var crashWorkerBinary: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("job-queue-crash-worker").path),
              directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("job-queue-crash-worker")
    }

    @Test func aJobWhoseWorkerWasKilledIsTakenUpAgainAndFinished() async throws {
        let file = try TemporaryDatabase()
        let site = try SiteDatabase(path: file.path, migrations: QueueFixture.migrations)
        let jobs = JobQueue(database: site)
        let forecast = try await jobs.enqueue(queue: .forecasting, kind: "forecast", payload: "{}", timeToLive: .days(7))
        let id = try await jobs.enqueue(
            queue: .scheduling, kind: "schedule-asset", payload: #"{"asset":1,"soc":12.5}"#, timeToLive: .days(7)
        )

        let process = Process()
        process.executableURL = Self.crashWorkerBinary
        process.arguments = [file.path, "scheduling", "300"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let claims = ClaimLog()
        output.fileHandleForReading.readabilityHandler = { claims.append($0.availableData) }

        // The deadline only keeps a broken worker from hanging the suite.
        let deadline = Date().addingTimeInterval(30)
        while claims.claimed == nil && Date() < deadline && process.isRunning {
            try await Task.sleep(for: .milliseconds(5))
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(try #require(claims.claimed, "the crash worker claimed nothing") == id)

        let abandoned = try #require(try await jobs.job(id: id))
        #expect(abandoned.status == .started)
        #expect(abandoned.worker == "crash-worker:\(process.processIdentifier)")
        #expect(abandoned.attempts == 1)

        var events = WorkerEvents()
        let worker = QueueFixture.worker(
            jobs: jobs, lease: .seconds(5), idleInterval: .milliseconds(50), events: events,
            handlers: ["schedule-asset": { job in #"{"scheduled":\#(job.payload)}"# }]
        )
        let running = Task { await worker.run() }
        let done = await events.nextDone()
        running.cancel()
        await running.value

        #expect(done.id == id)
        #expect(done.status == .finished)
        #expect(done.result == #"{"scheduled":{"asset":1,"soc":12.5}}"#)
        #expect(done.worker == worker.id)
        #expect(done.attempts == 2)
        let lease = try #require(abandoned.leaseExpiresAt)
        #expect(try #require(done.startedAt) >= lease, "taken up only after the dead worker's lease ran out")

        let reopened = try SiteDatabase(path: file.path, migrations: QueueFixture.migrations)
        let integrity = try await reopened.pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == ["ok"])
        #expect(try await JobQueue(database: reopened).job(id: id) == done)
        #expect(try await JobQueue(database: reopened).job(id: forecast)?.status == .queued)
    }
}

/// Collects the `CLAIMED <id>` line from the crash worker's stdout as it arrives.
final class ClaimLog: Sendable {
    private struct State {
        var buffer = ""
        var claimed: JobID?
    }

    private let state = Mutex(State())

    func append(_ data: Data) {
        state.withLock { state in
            state.buffer += String(decoding: data, as: UTF8.self)
            while let newline = state.buffer.firstIndex(of: "\n") {
                let line = state.buffer[..<newline]
                if line.hasPrefix("CLAIMED "), let id = JobID(line.dropFirst(8)) { state.claimed = id }
                state.buffer.removeSubrange(...newline)
            }
        }
    }

    var claimed: JobID? { state.withLock { $0.claimed } }
}
