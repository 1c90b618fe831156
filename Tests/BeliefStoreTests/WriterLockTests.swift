import BeliefStore
import Foundation
import GRDB
import Synchronization
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
import SiteDatabase
#endif

/// Processes on one database file take turns writing: a write waits while another holds the writers' lock.
@Suite struct WriterLockTests {
    /// Another process's turn, as the kernel sees it: an exclusive flock on a separately opened lock file.
    final class ForeignWriter {
        let descriptor: CInt

        init(lockPath: String) throws {
            descriptor = open(lockPath, O_RDWR)
            guard descriptor >= 0, flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                throw SiteDatabaseError.cannotLock(path: lockPath, reason: "test could not take the lock")
            }
        }

        func release() { flock(descriptor, LOCK_UN) }

        deinit { close(descriptor) }
    }

    final class Flag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }

    @Test func aWriteWaitsForAnotherProcessesTurn() async throws {
        let file = try TemporaryDatabase()
        let site = try SiteDatabase(path: file.path, migrations: BeliefStoreSchema.all)
        let lockPath = file.path + "-writer.lock"
        #expect(FileManager.default.fileExists(atPath: lockPath))
        try await site.write { db in try db.execute(sql: "CREATE TABLE probe (n INTEGER)") }

        let foreign = try ForeignWriter(lockPath: lockPath)
        let written = Flag()
        let writing = Task.detached {
            try await site.write { db in try db.execute(sql: "INSERT INTO probe VALUES (1)") }
            written.set()
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(!written.isSet, "the write must wait while another process writes")
        let count = try await site.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM probe") }
        #expect(count == 0, "readers are not held up")
        foreign.release()
        try await writing.value
        #expect(written.isSet)
        let after = try await site.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM probe") }
        #expect(after == 1)
    }

    @Test func aFailedWriteRollsBackAndPassesTheTurnOn() throws {
        let file = try TemporaryDatabase()
        let site = try SiteDatabase(path: file.path, migrations: BeliefStoreSchema.all)
        try site.write { db in try db.execute(sql: "CREATE TABLE probe (n INTEGER NOT NULL)") }
        #expect(throws: DatabaseError.self) {
            try site.write { db in
                try db.execute(sql: "INSERT INTO probe VALUES (1)")
                try db.execute(sql: "INSERT INTO probe VALUES (NULL)")
            }
        }
        #expect(try site.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM probe") } == 0)
        // The turn was given back: another process can take it at once.
        let foreign = try ForeignWriter(lockPath: file.path + "-writer.lock")
        foreign.release()
    }
}
