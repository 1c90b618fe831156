import BeliefStore
import Beliefs
import Hummingbird
import Jobs
import Site

/// `GET /api/health`: whether the appliance can do its work, for monitoring and systemd checks.
/// 200 when the database takes a write and the daemon's job workers live; 503 otherwise. Public: it
/// reveals counts, not data.
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
            body["status"] = .string(healthy ? "ok" : "unhealthy")
            return JSONBody.response(.object(body), status: healthy ? .ok : .serviceUnavailable)
        }
    }
}
