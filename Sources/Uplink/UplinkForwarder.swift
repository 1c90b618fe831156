import BeliefStore
import Beliefs
import Logging
import NIOCore
import PostgresNIO
import Site

/// Forwards the site's belief journal to the central server, store and forward: whatever the site stores
/// while the server is away waits in the journal, and goes in bulk once it is back.
///
/// Exactly once: each batch goes in one central transaction that also moves the site's acknowledged sequence
/// (`fleet.site.acknowledged_sequence`), so the server holds a batch and its position together or neither.
/// The site records the position after the commit; when it dies in between, the server's position tells it,
/// next time, what it holds already. A batch that meets a belief the server holds anyway (the server restored
/// from a backup, a hand-made row) goes again through a staging table with `ON CONFLICT DO NOTHING`.
public struct UplinkForwarder: Sendable {
    public struct Tuning: Sendable {
        /// Beliefs per central transaction.
        public var batchBeliefs = 100_000
        /// How often an idle forwarder looks for new entries.
        public var idlePoll: Duration = .seconds(1)
        /// The wait after a failure, doubling up to `longestRetryDelay`.
        public var firstRetryDelay: Duration = .seconds(1)
        public var longestRetryDelay: Duration = .seconds(60)
        /// The longest a connection attempt or one batch may take.
        public var timeout: Duration = .seconds(60)
        /// A connection idle for this long is asked a `SELECT 1`, within `probeTimeout`, before a batch goes on it.
        public var probeAfter: Duration = .seconds(5)
        public var probeTimeout: Duration = .seconds(5)
        /// How often an idle forwarder makes sure the server still answers, so that its status and the `up`
        /// metric tell a server that went away before anything waits for it.
        public var heartbeat: Duration = .seconds(30)

        public init() {}
    }

    /// What one pass forwarded.
    public struct Progress: Sendable, Equatable {
        public var beliefs = 0
        public var entries = 0
        public var batches = 0
        public init() {}
    }

    let site: Site
    let configuration: UplinkConfiguration
    let tuning: Tuning
    let logger: Logger

    public init(site: Site, configuration: UplinkConfiguration, tuning: Tuning = Tuning(), logger: Logger) {
        self.site = site
        self.configuration = configuration
        self.tuning = tuning
        self.logger = logger
    }

    /// Forwards until cancelled, waiting after failures.
    public func run() async {
        var session: CentralSession?
        var failures = 0
        let clock = ContinuousClock()
        // The first pass checks the server at once: a site whose name is new there, or whose stream the server
        // lost, is sent again without waiting for something new to send.
        var lastCheck: ContinuousClock.Instant?
        while !Task.isCancelled {
            do {
                let checking = lastCheck.map { clock.now - $0 >= tuning.heartbeat } ?? true
                let progress = try await drain(&session, checkingServer: checking)
                if checking || progress.beliefs > 0 { lastCheck = clock.now }
                if progress.beliefs > 0 {
                    logger.debug("uplink forwarded \(progress.beliefs) beliefs in \(progress.batches) batches")
                }
                if checking, let stream = try site.store.journalStream() {
                    try await site.store.markReachable(streamID: stream.id, at: site.clock())
                }
                failures = 0
                try await Task.sleep(for: tuning.idlePoll)
            } catch is CancellationError {
                break
            } catch {
                if Task.isCancelled { break }
                await session?.close()
                session = nil
                let reason = UplinkError.wrap(error, doing: "forwarding to \(configuration.server)").description
                logger.warning("uplink: \(reason)")
                await recordFailure(reason)
                let delay = min(tuning.longestRetryDelay, tuning.firstRetryDelay * (1 << min(failures, 16)))
                failures += 1
                try? await Task.sleep(for: delay)
            }
        }
        await session?.close()
    }

    /// Forwards everything waiting now, on a connection of its own: the CLI's `uplink push`, and tests.
    @discardableResult
    public func forwardWaiting() async throws -> Progress {
        var session: CentralSession?
        defer { if let session { Task { await session.close() } } }
        do {
            return try await drain(&session, checkingServer: true)
        } catch {
            let reason = UplinkError.wrap(error, doing: "forwarding to \(configuration.server)")
            await recordFailure(reason.description)
            throw reason
        }
    }

    private func recordFailure(_ reason: String) async {
        guard let stream = try? site.store.journalStream() else { return }
        try? await site.store.markForwardingFailed(reason, streamID: stream.id, at: site.clock())
    }

    /// Journal entries read and formatted for the server, with the central ids they were formatted with.
    private struct Prepared: Sendable {
        let entries: [JournalEntry]
        let batch: ForwardingBatch
        /// Some entry names a sensor or source the session had no central id for.
        let hasUnmapped: Bool
    }

    /// Reads and formats the entries after `position` off the cooperative threads; nil when none wait.
    private func prepare(after position: Int64, siteID: Int32, sensors: [SensorID: CentralSession.MappedSensor], sources: [SourceID: Int32]) async throws -> Prepared? {
        let store = site.store, limit = tuning.batchBeliefs
        return try await runBlocking {
            let entries = try store.journalEntries(after: position, beliefLimit: limit)
            guard !entries.isEmpty else { return nil }
            let unmapped = ForwardingBatch.unmapped(entries, sensors: sensors, sources: sources)
            let hasUnmapped = !unmapped.sensors.isEmpty || !unmapped.sources.isEmpty
            return Prepared(entries: entries, batch: ForwardingBatch(entries, siteID: siteID, sensors: sensors, sources: sources), hasUnmapped: hasUnmapped)
        }
    }

    /// Forwards batches until the journal holds nothing after the position; with `checkingServer`, connects
    /// and agrees with the server on the stream even when nothing waits. The next batch is read and formatted
    /// while the server takes the current one: the two sides share the machine's cores instead of waiting for
    /// each other.
    private func drain(_ session: inout CentralSession?, checkingServer: Bool) async throws -> Progress {
        var progress = Progress()
        let store = site.store
        var checked = false
        while true {
            try Task.checkCancellation()
            guard let stream = try store.journalStream() else {
                // Gone while forwarding runs (`db-ops reset` erased the file): a new stream holds whatever is stored.
                if try site.startUplinkJournal() { logger.notice("uplink: the journal was gone; a new stream holds every belief stored") }
                continue
            }
            let waiting = try store.journalHasEntries(after: stream.forwardedThrough)
            guard waiting || (checkingServer && !checked) else { return progress }
            checked = true
            try await connect(&session)
            guard try await reconcile(stream, with: &session!) else { continue }
            // Registered only once the name is this site's: a site that lost it must not touch the holder's sensors.
            let catalog = try site.uplinkCatalog()
            if catalog != session!.registered { try await session!.register(catalog) }
            guard waiting else { return progress }

            var position = stream.forwardedThrough
            var prepared = try await prepare(after: position, siteID: session!.siteID, sensors: session!.sensors, sources: session!.sources)
            while var current = prepared {
                let catalog = try site.uplinkCatalog()
                if current.hasUnmapped || catalog != session!.registered {
                    // Sensors or sources made, renamed or changed since the session registered them; those still
                    // unknown were deleted on the site, and a later entry deletes their beliefs centrally.
                    try await session!.register(catalog)
                    current = try await prepare(after: position, siteID: session!.siteID, sensors: session!.sensors, sources: session!.sources)!
                }
                let siteID = session!.siteID, sensors = session!.sensors, sources = session!.sources
                let following = current.batch.lastSequence
                async let next = prepare(after: following, siteID: siteID, sensors: sensors, sources: sources)
                try await send(current.batch, stream: stream, expecting: position, on: session!)
                session!.lastAnswer = .now
                position = current.batch.lastSequence
                session!.centralStream = stream.id
                session!.acknowledged = position
                guard try await store.markForwarded(through: position, beliefs: current.batch.beliefs, streamID: stream.id, at: site.clock()) else {
                    // The journal restarted meanwhile (the daemon's start, `uplink resend`): read it again.
                    _ = try? await next
                    break
                }
                progress.beliefs += current.batch.beliefs
                progress.entries += current.entries.count
                progress.batches += 1
                prepared = try await next
            }
        }
    }

    /// A session that answers: opened when there is none, probed when it has been idle.
    private func connect(_ session: inout CentralSession?) async throws {
        if session == nil {
            session = try await CentralSession.open(configuration, timeout: tuning.timeout, logger: logger)
        } else if ContinuousClock.now - session!.lastAnswer >= tuning.probeAfter {
            try await session!.probe(within: tuning.probeTimeout)
            try await session!.refresh()
        }
    }

    /// Brings the site's position and the server's into agreement before sending; false when the journal's
    /// stream or position changed and the caller must read it again.
    private func reconcile(_ stream: BeliefStore.JournalStream, with session: inout CentralSession) async throws -> Bool {
        if session.centralStream == stream.id {
            if session.acknowledged == stream.forwardedThrough { return true }
            if session.acknowledged > stream.forwardedThrough,
                try session.acknowledged <= site.store.lastJournalSequence() {
                // The server committed a batch whose acknowledgement the site never recorded (killed in between).
                // (A server ahead of every sequence the site handed out means a site file copied back from before:
                // its new entries would take numbers the server counts as held, so it falls through to a new stream.)
                try await site.store.markForwarded(
                    through: session.acknowledged, beliefs: 0, streamID: stream.id, at: site.clock()
                )
                return false
            }
        } else if stream.forwardedThrough == 0 {
            // A new stream takes the site's place centrally: its first entry deletes what the server holds of it.
            return true
        } else if let other = session.centralStream {
            // Another stream holds the name: another site configured with the same name took it. Taking it back
            // would delete that site's beliefs, and it would take it back in turn: said, and left to a person.
            throw UplinkError.nameTaken(site: configuration.siteName, stream: other)
        }
        // The server holds less of this stream than the site knows it sent (it was restored from an older backup,
        // or the site's name is new to it), or more than the site ever numbered (a site file copied back from
        // before): the entries it lacks are gone here, so the site starts a new stream holding everything it stores.
        logger.warning(
            "uplink: the central server holds stream \(session.centralStream ?? "none") up to \(session.acknowledged), the site sent \(stream.id) up to \(stream.forwardedThrough); sending every belief again"
        )
        try site.stopUplinkJournal()
        try site.startUplinkJournal()
        return false
    }

    /// One central transaction: the batch's steps and the site's new position, or nothing.
    private func send(_ batch: ForwardingBatch, stream: BeliefStore.JournalStream, expecting position: Int64, on session: CentralSession) async throws {
        do {
            try await transaction(batch, stream: stream, expecting: position, on: session, staged: false)
        } catch let error as UplinkError where error.isUniqueViolation {
            logger.notice("uplink: the server holds some of beliefs \(batch.firstSequence)...\(batch.lastSequence) already; sending them through a staging table")
            try await transaction(batch, stream: stream, expecting: position, on: session, staged: true)
        }
    }

    private func transaction(
        _ batch: ForwardingBatch, stream: BeliefStore.JournalStream, expecting position: Int64, on session: CentralSession, staged: Bool
    ) async throws {
        let connection = session.connection, siteID = session.siteID, logger = logger
        let doing = "sending journal entries \(batch.firstSequence)...\(batch.lastSequence)"
        do {
            try await CentralConnection.bounded(tuning.timeout, doing: doing, onTimeout: { CentralConnection.abandon(connection) }) {
                try await connection.query("BEGIN", logger: logger)
                do {
                    let row = try await connection.query(
                        "SELECT stream_id, acknowledged_sequence FROM fleet.site WHERE id = \(siteID) FOR UPDATE", logger: logger
                    ).collect().first?.decode((String?, Int64).self)
                    guard let row, (row.0 == stream.id && row.1 == position) || (row.0 != stream.id && position == 0) else {
                        throw UplinkError.connection(
                            "the site's position at the server moved meanwhile: another forwarder of this site sent first (the daemon and `uplink push` at once), or another site uses the same FLEXMEASURES_UPLINK_SITE",
                            doing: doing
                        )
                    }
                    try await connection.query("SET LOCAL search_path TO fleet", logger: logger)
                    if staged {
                        try await connection.query(
                            "CREATE TEMP TABLE incoming_belief (LIKE fleet.timed_belief INCLUDING DEFAULTS) ON COMMIT DROP", logger: logger
                        )
                    }
                    for step in batch.steps {
                        try await Self.run(step, siteID: siteID, staged: staged, on: connection, logger: logger)
                    }
                    try await connection.query(
                        """
                        UPDATE fleet.site SET stream_id = \(stream.id), acknowledged_sequence = \(batch.lastSequence),
                            beliefs_received = beliefs_received + \(Int64(batch.beliefs)), last_contact = now()
                        WHERE id = \(siteID)
                        """,
                        logger: logger
                    )
                    try await connection.query("COMMIT", logger: logger)
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        } catch {
            throw UplinkError.wrap(error, doing: doing)
        }
    }

    private static func run(_ step: ForwardingBatch.Step, siteID: Int32, staged: Bool, on connection: PostgresConnection, logger: Logger) async throws {
        switch step {
        case let .copy(chunks, _):
            try await connection.copyFrom(
                table: staged ? "incoming_belief" : "timed_belief", columns: TimedBeliefRows.columns, logger: logger
            ) { writer in
                for chunk in chunks { try await writer.write(chunk) }
            }
            if staged {
                try await connection.query(
                    "INSERT INTO fleet.timed_belief SELECT * FROM incoming_belief ON CONFLICT DO NOTHING", logger: logger
                )
                try await connection.query("TRUNCATE incoming_belief", logger: logger)
            }
        case .deleteAll:
            try await connection.query(
                """
                DELETE FROM fleet.timed_belief
                WHERE sensor_id IN (SELECT id FROM fleet.sensor WHERE site_id = \(siteID)) AND site_id = \(siteID)
                """,
                logger: logger
            )
        case let .delete(kind, sensorID):
            let horizon = kind == .measurements ? "belief_horizon <= interval '0'" : "belief_horizon > interval '0'"
            if let sensorID {
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: """
                            DELETE FROM fleet.timed_belief WHERE sensor_id IN
                                (SELECT id FROM fleet.sensor WHERE site_id = $1 AND site_sensor_id = $2) AND \(horizon)
                            """,
                        binds: try binds(siteID, sensorID)
                    ),
                    logger: logger
                )
            } else {
                try await connection.query(
                    PostgresQuery(
                        unsafeSQL: """
                            DELETE FROM fleet.timed_belief WHERE sensor_id IN (SELECT id FROM fleet.sensor WHERE site_id = $1)
                                AND site_id = $1 AND \(horizon)
                            """,
                        binds: try binds(siteID)
                    ),
                    logger: logger
                )
            }
        case let .deleteSensor(sensorID):
            try await connection.query(
                """
                DELETE FROM fleet.timed_belief WHERE sensor_id IN
                    (SELECT id FROM fleet.sensor WHERE site_id = \(siteID) AND site_sensor_id = \(sensorID))
                """,
                logger: logger
            )
            try await connection.query(
                "DELETE FROM fleet.sensor WHERE site_id = \(siteID) AND site_sensor_id = \(sensorID)", logger: logger
            )
        }
    }

    private static func binds(_ siteID: Int32, _ sensorID: SensorID? = nil) throws -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(siteID)
        if let sensorID { binds.append(sensorID) }
        return binds
    }
}

/// Printed or reflected (service-lifecycle's debug logs), a forwarder names its server and site, nothing more.
extension UplinkForwarder: CustomStringConvertible, CustomReflectable {
    public var description: String { "UplinkForwarder(\(configuration))" }
    public var customMirror: Mirror { Mirror(self, children: ["configuration": configuration], displayStyle: .struct) }
}
