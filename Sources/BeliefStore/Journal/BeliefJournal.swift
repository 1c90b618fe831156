import Beliefs
import Foundation
import GRDB

/// One change in the belief journal (see `BeliefJournalSchema`).
public struct JournalEntry: Sendable, Equatable {
    public enum Change: Sendable, Equatable {
        /// Beliefs of one sensor and source, as stored.
        case append(sensorID: SensorID, sourceID: SourceID, columns: SegmentColumns)
        /// Measurements (horizon <= 0) or prognoses (horizon > 0) of one sensor deleted, or of every sensor (nil).
        case delete(BeliefStore.BeliefKind, sensorID: SensorID?)
        /// A sensor deleted, with all its beliefs.
        case deleteSensor(SensorID)
        /// Every belief of the site deleted (`restoreData`, `db-ops load` after a reset, the journal's own start).
        case deleteAll
    }

    public let sequence: Int64
    public let change: Change
    /// When the site stored the change.
    public let recorded: Instant

    /// Beliefs an append carries; 0 for a deletion.
    public var beliefCount: Int {
        if case let .append(_, _, columns) = change { return columns.count }
        return 0
    }
}

/// How far behind the journal's reader is: what `Site` reports for the uplink.
public struct JournalBacklog: Sendable, Equatable {
    /// Entries after the position.
    public let entries: Int
    /// Beliefs in those entries.
    public let beliefs: Int
    /// When the oldest of them was stored; nil when there is none.
    public let oldestRecorded: Instant?
    /// The last sequence number handed out; 0 before the first.
    public let lastSequence: Int64
}

extension BeliefStore {
    /// The journal's stream, when one runs: its id (new each time the journal starts, so that a receiver can
    /// tell a new stream from the one it knew) and when it started.
    public struct JournalStream: Sendable, Equatable {
        public let id: String
        public let started: Instant
        /// The last sequence the receiver holds for good; 0 before the first.
        public var forwardedThrough: Int64 = 0
        /// Beliefs forwarded in this stream.
        public var forwardedBeliefs: Int = 0
        public var lastForwarded: Instant?
        public var lastAttempt: Instant?
        /// Why the last attempt failed; nil after a success.
        public var lastError: String?
    }

    public func journalStream() throws -> JournalStream? {
        try database.pool.read { db in try Self.journalStream(in: db) }
    }

    /// The journal's stream inside the caller's transaction (the alert timer reads it in its own).
    public static func journalStream(in db: Database) throws -> JournalStream? {
        try Row.fetchOne(db.cachedStatement(sql: """
            SELECT stream_id, started_us, forwarded_through, forwarded_beliefs, last_forwarded_us, last_attempt_us, last_error
            FROM belief_journal_stream WHERE id = 1
            """)).map { row in
            JournalStream(
                id: row[0], started: Instant(microsecondsSinceEpoch: row[1]), forwardedThrough: row[2], forwardedBeliefs: row[3],
                lastForwarded: (row[4] as Int64?).map(Instant.init(microsecondsSinceEpoch:)),
                lastAttempt: (row[5] as Int64?).map(Instant.init(microsecondsSinceEpoch:)), lastError: row[6]
            )
        }
    }

    /// Starts the journal when it does not run, in one transaction: a new stream whose first entry deletes
    /// everything the receiver holds of this site, followed by every belief stored now (segments copied as
    /// they are, the tail encoded per sensor and source), so that the stream alone rebuilds the site.
    /// Returns the running stream and whether it is new.
    @discardableResult
    public func startJournal(now: Instant) throws -> (stream: JournalStream, started: Bool) {
        try database.write { db in
            if let stream = try Self.journalStream(in: db) { return (stream, false) }
            let stream = JournalStream(id: UUID().uuidString.lowercased(), started: now)
            try db.execute(
                sql: "INSERT INTO belief_journal_stream (id, stream_id, started_us) VALUES (1, ?, ?)",
                arguments: [stream.id, now.microsecondsSinceEpoch]
            )
            try Self.journal(.deleteAll, now: now, in: db)
            try db.execute(
                sql: """
                    INSERT INTO belief_journal (change, sensor_id, source_id, belief_count, data, recorded_us)
                    SELECT 'append', sensor_id, source_id, belief_count, data, ? FROM belief_segment ORDER BY id
                    """,
                arguments: [now.microsecondsSinceEpoch]
            )
            let pairs = try Row.fetchAll(db, sql: "SELECT DISTINCT sensor_id, source_id FROM belief_tail ORDER BY 1, 2")
            for pair in pairs {
                let tail = try SegmentTable.tail(sensorID: pair[0], firstEvent: .min, lastEvent: .max, sourceID: pair[1], in: db)
                for chunk in BeliefRun(sorting: tail).chunks(maximum: configuration.maximumSegmentBeliefs) {
                    try Self.journalAppend(chunk, sensorID: pair[0], sourceID: pair[1], now: now, in: db)
                }
            }
            return (stream, true)
        }
    }

    /// Stops the journal and drops every entry: what runs when the uplink is switched off, so that a site
    /// without one stores nothing twice. Returns the entries dropped.
    @discardableResult
    public func stopJournal() throws -> Int {
        try database.write { db in
            try db.execute(sql: "DELETE FROM belief_journal_stream")
            try db.execute(sql: "DELETE FROM belief_journal")
            return db.changesCount
        }
    }

    /// The last sequence number the journal handed out; 0 before the first.
    public func lastJournalSequence() throws -> Int64 {
        try database.pool.read { db in try Self.lastJournalSequence(in: db) }
    }

    static func lastJournalSequence(in db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM sqlite_sequence WHERE name = 'belief_journal'")) ?? 0
    }

    /// Whether any entry follows `sequence`: what an idle reader asks every poll.
    public func journalHasEntries(after sequence: Int64) throws -> Bool {
        try database.pool.read { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM belief_journal WHERE sequence > ?)"), arguments: [sequence]
            ) ?? false
        }
    }

    /// Entries after `sequence`, in order, up to about `beliefLimit` beliefs (at least one entry).
    public func journalEntries(after sequence: Int64, beliefLimit: Int) throws -> [JournalEntry] {
        try database.pool.read { db in
            let cursor = try Row.fetchCursor(
                db.cachedStatement(sql: """
                    SELECT sequence, change, sensor_id, source_id, belief_count, data, recorded_us
                    FROM belief_journal WHERE sequence > ? ORDER BY sequence
                    """),
                arguments: [sequence]
            )
            var entries: [JournalEntry] = []
            var beliefs = 0
            while beliefs < max(beliefLimit, 1), let row = try cursor.next() {
                let entry = try Self.entry(row)
                entries.append(entry)
                beliefs += max(entry.beliefCount, 1)
            }
            return entries
        }
    }

    /// Records that the receiver holds stream `streamID` up to and including `sequence` for good (`beliefs` more
    /// of them), and drops those entries. Ignored when the stream is no longer the running one (the journal was
    /// restarted meanwhile) or the position would go back. Returns whether it was recorded.
    @discardableResult
    public func markForwarded(through sequence: Int64, beliefs: Int, streamID: String, at now: Instant) async throws -> Bool {
        try await database.transaction { db in
            try db.execute(
                sql: """
                    UPDATE belief_journal_stream SET forwarded_through = ?, forwarded_beliefs = forwarded_beliefs + ?,
                        last_forwarded_us = ?, last_attempt_us = ?, last_error = NULL
                    WHERE id = 1 AND stream_id = ? AND forwarded_through <= ?
                    """,
                arguments: [sequence, beliefs, now.microsecondsSinceEpoch, now.microsecondsSinceEpoch, streamID, sequence]
            )
            guard db.changesCount == 1 else { return false }
            try db.execute(sql: "DELETE FROM belief_journal WHERE sequence <= ?", arguments: [sequence])
            return true
        }
    }

    /// Records that the receiver answered while nothing waited, clearing a failure recorded before (written only then).
    public func markReachable(streamID: String, at now: Instant) async throws {
        try await database.transaction { db in
            try db.execute(
                sql: "UPDATE belief_journal_stream SET last_attempt_us = ?, last_error = NULL WHERE id = 1 AND stream_id = ? AND last_error IS NOT NULL",
                arguments: [now.microsecondsSinceEpoch, streamID]
            )
        }
    }

    /// Records a failed attempt to forward the stream, with what a person needs to fix it.
    public func markForwardingFailed(_ reason: String, streamID: String, at now: Instant) async throws {
        try await database.transaction { db in
            try db.execute(
                sql: "UPDATE belief_journal_stream SET last_attempt_us = ?, last_error = ? WHERE id = 1 AND stream_id = ?",
                arguments: [now.microsecondsSinceEpoch, String(reason.prefix(2000)), streamID]
            )
        }
    }

    /// What is waiting after `sequence`.
    public func journalBacklog(after sequence: Int64) throws -> JournalBacklog {
        try database.pool.read { db in try Self.journalBacklog(after: sequence, in: db) }
    }

    /// What is waiting after `sequence`, inside the caller's transaction.
    public static func journalBacklog(after sequence: Int64, in db: Database) throws -> JournalBacklog {
        let row = try Row.fetchOne(
            db.cachedStatement(sql: """
                SELECT COUNT(*), COALESCE(SUM(MAX(belief_count, 1)), 0), MIN(recorded_us)
                FROM belief_journal WHERE sequence > ?
                """),
            arguments: [sequence]
        )!
        let last = try lastJournalSequence(in: db)
        let oldest: Int64? = row[2]
        return JournalBacklog(
            entries: row[0], beliefs: row[1], oldestRecorded: oldest.map(Instant.init(microsecondsSinceEpoch:)),
            lastSequence: last
        )
    }

    // MARK: writing, inside the store's own transactions

    /// Whether the journal runs; asked once per append or delete transaction.
    static func journalRuns(in db: Database) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM belief_journal_stream)")) ?? false
    }

    static func journalAppend(_ run: BeliefRun, sensorID: SensorID, sourceID: SourceID, now: Instant, in db: Database) throws {
        guard run.count > 0 else { return }
        try journalAppend(Data(SegmentCodec.encode(run.columns)), count: run.count, sensorID: sensorID, sourceID: sourceID, now: now, in: db)
    }

    /// A run already encoded (for its segment): journalled without encoding it again.
    static func journalAppend(_ encoded: Data, count: Int, sensorID: SensorID, sourceID: SourceID, now: Instant, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO belief_journal (change, sensor_id, source_id, belief_count, data, recorded_us)
            VALUES ('append', ?, ?, ?, ?, ?)
            """).execute(arguments: [sensorID, sourceID, count, encoded, now.microsecondsSinceEpoch])
    }

    static func journal(_ change: JournalEntry.Change, now: Instant, in db: Database) throws {
        let name: String
        var sensorID: SensorID?
        switch change {
        case let .append(sensor, source, columns):
            return try journalAppend(BeliefRun(columns: columns), sensorID: sensor, sourceID: source, now: now, in: db)
        case let .delete(kind, sensor):
            name = kind == .measurements ? "delete_measurements" : "delete_prognoses"
            sensorID = sensor
        case let .deleteSensor(sensor):
            name = "delete_sensor"
            sensorID = sensor
        case .deleteAll:
            name = "delete_all"
        }
        try db.cachedStatement(sql: "INSERT INTO belief_journal (change, sensor_id, recorded_us) VALUES (?, ?, ?)")
            .execute(arguments: [name, sensorID, now.microsecondsSinceEpoch])
    }

    private static func entry(_ row: Row) throws -> JournalEntry {
        let sequence: Int64 = row[0]
        let name: String = row[1]
        let sensorID: SensorID? = row[2]
        let change: JournalEntry.Change
        switch name {
        case "append":
            let count: Int = row[4]
            let columns: SegmentColumns
            do {
                columns = try row.withUnsafeData(atIndex: 5) { data -> SegmentColumns in
                    guard let data else { throw SegmentCodecError.truncated }
                    return try data.withUnsafeBytes { buffer in try SegmentCodec.decode(buffer) }
                }
            } catch let error as SegmentCodecError {
                throw BeliefStoreError.corruptJournalEntry(sequence: sequence, reason: error.description)
            }
            guard columns.count == count, let sensorID, let sourceID = row[3] as SourceID? else {
                throw BeliefStoreError.corruptJournalEntry(
                    sequence: sequence, reason: "holds \(columns.count) beliefs where its row says \(count)"
                )
            }
            change = .append(sensorID: sensorID, sourceID: sourceID, columns: columns)
        case "delete_measurements": change = .delete(.measurements, sensorID: sensorID)
        case "delete_prognoses": change = .delete(.prognoses, sensorID: sensorID)
        case "delete_sensor":
            guard let sensorID else { throw BeliefStoreError.corruptJournalEntry(sequence: sequence, reason: "names no sensor") }
            change = .deleteSensor(sensorID)
        default: change = .deleteAll
        }
        return JournalEntry(sequence: sequence, change: change, recorded: Instant(microsecondsSinceEpoch: row[6]))
    }
}
