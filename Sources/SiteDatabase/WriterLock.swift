import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Makes the writes of every process on one database file take turns: an exclusive `flock` on
/// `<database>-writer.lock` around each write transaction, its commit and the checkpoint SQLite may run at
/// that commit. The system SQLite 3.40 can corrupt the WAL when one connection checkpoints while another
/// starts a write (the WAL-reset bug); within a process GRDB's single writer rules that out, and this lock
/// does the same for the CLI and extra workers writing while the daemon runs. The kernel drops the lock of
/// a process that dies.
final class WriterLock: Sendable {
    let path: String
    private let descriptor: CInt
    /// flock belongs to the open file, shared by the threads of this process: they take turns here first.
    private let turns = NSLock()

    init(databasePath: String) throws(SiteDatabaseError) {
        path = databasePath + "-writer.lock"
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o660)
        guard descriptor >= 0 else {
            throw .cannotLock(path: path, reason: String(cString: strerror(errno)))
        }
    }

    deinit { close(descriptor) }

    /// Runs `body` while no other process on this database file writes.
    func exclusively<T>(_ body: () throws -> T) rethrows -> T {
        turns.lock()
        defer { turns.unlock() }
        while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
