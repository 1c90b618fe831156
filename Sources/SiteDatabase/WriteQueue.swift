import GRDB

/// Queues writes to the single writer connection and runs the queued ones in one transaction, each in a
/// savepoint of its own: one refused batch rolls back alone, and all of them share one durable commit
/// (group commit), which is what makes many small concurrent writes cheap under `synchronous=FULL`.
/// One per `SiteDatabase`, which hands itself in with every write (`SiteDatabase.transaction`).
actor WriteQueue {
    private var pending: [PendingWrite] = []
    private var draining = false
    /// Enough to share commits widely without holding the writer for long.
    private let maximumWritesPerCommit = 512

    func submit<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T, to database: SiteDatabase) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let result = ResultBox<T>()
            pending.append(PendingWrite(
                work: { db in result.value = try work(db) },
                complete: { error in
                    if let error {
                        continuation.resume(throwing: error)
                    } else {
                        continuation.resume(returning: result.value!)
                    }
                }
            ))
            if !draining {
                draining = true
                Task { await self.drain(database) }
            }
        }
    }

    private func drain(_ database: SiteDatabase) async {
        while !pending.isEmpty {
            let batch = Array(pending.prefix(maximumWritesPerCommit))
            pending.removeFirst(batch.count)
            let outcomes: [(any Error)?]
            do {
                outcomes = try await database.write { db in
                    batch.map { write -> (any Error)? in
                        do {
                            try db.inSavepoint {
                                try write.work(db)
                                return .commit
                            }
                            return nil
                        } catch {
                            return error
                        }
                    }
                }
            } catch {
                // The commit itself failed: nothing of this batch is stored.
                outcomes = Array(repeating: error, count: batch.count)
            }
            for (write, outcome) in zip(batch, outcomes) {
                write.complete(outcome)
            }
        }
        draining = false
    }
}

/// A write waiting for the writer: its work, and how to tell its caller the outcome.
private final class PendingWrite: @unchecked Sendable {
    let work: (Database) throws -> Void
    let complete: ((any Error)?) -> Void

    init(work: @escaping (Database) throws -> Void, complete: @escaping ((any Error)?) -> Void) {
        self.work = work
        self.complete = complete
    }
}

/// Carries a write's result from the writer's thread to its caller; written before it is read.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
