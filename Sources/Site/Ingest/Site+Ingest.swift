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
            let now = clock()
            let rules = alertRules
            return try await store.write { [store] db in
                let receipt = try Self.append(beliefs, from: origin, duplicates: duplicates, to: store, rules: rules, now: now, in: db)
                try also?(db)
                return receipt
            }
        } catch let error as BeliefStoreError {
            alertRules.forgetMeasuredValues()
            throw IngestError(error)
        } catch {
            // Rolled back: what the rules index was handed may not be stored.
            alertRules.forgetMeasuredValues()
            throw error
        }
    }

    /// `ingest`, blocking the caller in a durable transaction of its own (the CLI).
    @discardableResult
    public func ingestNow(_ beliefs: [Belief], from origin: BeliefOrigin, duplicates: DuplicatePolicy = .refuse) throws -> AppendReceipt {
        do {
            let now = clock()
            let rules = alertRules
            return try store.database.write { [store] db in
                try Self.append(beliefs, from: origin, duplicates: duplicates, to: store, rules: rules, now: now, in: db)
            }
        } catch let error as BeliefStoreError {
            alertRules.forgetMeasuredValues()
            throw IngestError(error)
        } catch {
            alertRules.forgetMeasuredValues()
            throw error
        }
    }

    /// Replaces every belief of the site with `beliefs` (which name their own sources), in one transaction:
    /// `restoreData` and `db-ops load`. Returns how many were removed and how many stored.
    public func replaceAllBeliefs(with beliefs: [Belief]) async throws -> (removed: Int, stored: Int) {
        do {
            let now = clock()
            let rules = alertRules
            defer { rules.forgetMeasuredValues() }
            return try await store.write { [store] db in
                rules.forgetMeasuredValues()
                let removed = try store.deleteAllBeliefs(in: db)
                let stored = try Self.append(beliefs, from: .stated, duplicates: .refuse, to: store, rules: rules, now: now, in: db).beliefs
                return (removed, stored)
            }
        } catch let error as BeliefStoreError {
            throw IngestError(error)
        }
    }

    /// Appends the beliefs with the origin's source, then runs the alert rules on them in the same
    /// transaction (the forecaster's and the scheduler's beliefs only count as activity; backups' beliefs are
    /// judged but for those of such sources).
    static func append(
        _ beliefs: [Belief], from origin: BeliefOrigin, duplicates: DuplicatePolicy, to store: BeliefStore, rules: AlertRuleIndex,
        now: Instant, in db: Database
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
        let receipt = try store.append(stated, in: db, duplicates: duplicates)
        switch origin {
        case .user, .script(_, .script), .script(_, .user):
            try AlertEvaluation.afterIngest(stated, judged: true, rules: rules, store: store, now: now, in: db)
        case .script:
            try AlertEvaluation.afterIngest(stated, judged: false, rules: rules, store: store, now: now, in: db)
        case .stated:
            try AlertEvaluation.afterIngest(stated, judged: true, excludingSources: try machineSources(in: db), rules: rules, store: store, now: now, in: db)
        }
        return receipt
    }

    /// The sources whose beliefs are the appliance's own forecasts and plans, not data to judge.
    static func machineSources(in db: Database) throws -> Set<SourceID> {
        Set(try SourceID.fetchAll(db, sql: "SELECT id FROM data_source WHERE type IN (?, ?)", arguments: [SourceType.forecaster.rawValue, SourceType.scheduler.rawValue]))
    }
}
