import BeliefStore
import Beliefs
import GRDB

extension Site {
    /// Stores beliefs for `origin` in one transaction, shared with concurrent writes: the origin's data
    /// source is looked up (or made) there and set on every belief (unless the beliefs state their own),
    /// stored duplicates are refused or skipped as `duplicates` says, and `also` runs in the same
    /// transaction (e.g. queueing forecasts). All of it is stored or none.
    @discardableResult
    public func ingest(
        _ beliefs: [Belief], from origin: BeliefOrigin, duplicates: DuplicatePolicy = .refuse,
        also: (@Sendable (Database) throws -> Void)? = nil
    ) async throws -> AppendReceipt {
        do {
            return try await store.write { [store] db in
                let receipt = try Self.append(beliefs, from: origin, duplicates: duplicates, to: store, in: db)
                try also?(db)
                return receipt
            }
        } catch let error as BeliefStoreError {
            throw IngestError(error)
        }
    }

    /// `ingest`, blocking the caller in a durable transaction of its own (the CLI).
    @discardableResult
    public func ingestNow(_ beliefs: [Belief], from origin: BeliefOrigin, duplicates: DuplicatePolicy = .refuse) throws -> AppendReceipt {
        do {
            return try store.database.write { [store] db in
                try Self.append(beliefs, from: origin, duplicates: duplicates, to: store, in: db)
            }
        } catch let error as BeliefStoreError {
            throw IngestError(error)
        }
    }

    /// Replaces every belief of the site with `beliefs` (which name their own sources), in one transaction:
    /// `restoreData` and `db-ops load`. Returns how many were removed and how many stored.
    public func replaceAllBeliefs(with beliefs: [Belief]) async throws -> (removed: Int, stored: Int) {
        do {
            return try await store.write { [store] db in
                let removed = try store.deleteAllBeliefs(in: db)
                return (removed, try store.append(beliefs, in: db).beliefs)
            }
        } catch let error as BeliefStoreError {
            throw IngestError(error)
        }
    }

    static func append(
        _ beliefs: [Belief], from origin: BeliefOrigin, duplicates: DuplicatePolicy, to store: BeliefStore, in db: Database
    ) throws -> AppendReceipt {
        let sourceID: SourceID?
        switch origin {
        case let .user(id, name): sourceID = try SensorCatalog.userSource(userID: id, name: name, in: db).id
        case let .script(name, type): sourceID = try SensorCatalog.scriptSource(name: name, type: type, in: db).id
        case .stated: sourceID = nil
        }
        var stated = beliefs
        if let sourceID {
            for index in stated.indices { stated[index].sourceID = sourceID }
        }
        return try store.append(stated, in: db, duplicates: duplicates)
    }
}
