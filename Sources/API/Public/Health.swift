import BeliefStore
import Beliefs
import Hummingbird
import Jobs
import Site

/// `GET /api/health`: whether the appliance can do its work, for monitoring and systemd checks.
/// 200 when the database takes a write and the daemon's job workers live; 503 otherwise. Public: it
/// reveals counts, not data. The fleet uplink's state is reported under `uplink` (null without an uplink)
/// and never makes the answer 503: the site does all its work while its uplink is away, and catches up later.
enum Health {
    static func route(_ services: APIServices) -> APIRoute {
        APIRoute(.get, "/api/health") { _, _ in
            var body: [String: JSONValue] = [:]
            var healthy = true
            do {
                // A write transaction through the single writer, as a post would take it.
                try await services.store.write { db in try db.execute(sql: "SELECT 1") }
                body["database_writable"] = .bool(true)
            } catch {
                healthy = false
                body["database_writable"] = .bool(false)
                body["database_error"] = .string("\(error)")
            }
            var queues: [String: JSONValue] = [:]
            let now = services.clock()
            for queue in QueueName.allCases {
                let (counts, oldest) = (try? await services.jobs.counts(queue: queue)) ?? ([:], nil)
                var entry: [String: JSONValue] = [:]
                for status in [JobStatus.queued, .started, .failed] {
                    entry[status.rawValue] = .number(Double(counts[status] ?? 0))
                }
                entry["oldest_queued_seconds"] = oldest.map { JSONValue.number(Double((now - $0).microseconds) / 1e6) } ?? .null
                queues[queue.rawValue] = .object(entry)
            }
            body["queues"] = .object(queues)
            var workers: [String: JSONValue] = [:]
            for (queue, state) in services.workers.states() {
                if !state.alive { healthy = false }
                workers[queue.rawValue] = .object([
                    "alive": .bool(state.alive), "silent_seconds": .number((state.silentSeconds * 10).rounded() / 10),
                ])
            }
            body["workers"] = .object(workers)
            do {
                body["uplink"] = try services.site.uplinkStatus().map { uplink(of: $0, at: now) } ?? .null
            } catch {
                body["uplink_error"] = .string("\(error)")
            }
            body["status"] = .string(healthy ? "ok" : "unhealthy")
            return JSONBody.response(.object(body), status: healthy ? .ok : .serviceUnavailable)
        }
    }

    /// The uplink's stream and backlog, times in ISO 8601 (null for never).
    static func uplink(of status: UplinkStatus, at now: Instant) -> JSONValue {
        func time(_ instant: Instant?) -> JSONValue { instant.map { .string($0.iso8601) } ?? .null }
        return .object([
            "stream_id": .string(status.streamID),
            "started": .string(status.started.iso8601),
            "backlog_beliefs": .number(Double(status.backlogBeliefs)),
            "backlog_entries": .number(Double(status.backlogEntries)),
            "backlog_age_seconds": .number(Double(status.backlogAge(at: now).microseconds) / 1e6),
            "oldest_waiting": time(status.oldestWaiting),
            "last_success": time(status.lastForwarded),
            "last_attempt": time(status.lastAttempt),
            "last_attempt_succeeded": status.lastAttemptSucceeded.map(JSONValue.bool) ?? .null,
            "last_error": status.lastError.map(JSONValue.string) ?? .null,
            "forwarded_beliefs": .number(Double(status.forwardedBeliefs)),
        ])
    }
}
