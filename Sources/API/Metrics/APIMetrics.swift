import BeliefStore
import Beliefs
import Foundation
import Hummingbird
import Jobs
import Prometheus
import Site

/// The appliance's metrics in the Prometheus text format at `GET /metrics`: requests and their
/// latency per route, solve and forecast durations, and, read at each scrape, the beliefs and segments
/// stored, the database's size, the jobs per state and, with an uplink, its backlog and last success.
public final class APIMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private static let latencyBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(20), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5),
    ]

    public init() {}

    func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        let labels = [("method", method), ("route", route), ("status", String(status))]
        registry.makeCounter(name: "flexmeasures_http_requests_total", labels: labels, help: "HTTP requests answered").increment()
        registry.makeDurationHistogram(
            name: "flexmeasures_http_request_duration_seconds", labels: [("method", method), ("route", route)],
            buckets: Self.latencyBuckets, help: "Time to answer an HTTP request"
        ).record(duration)
    }

    public func recordJob(kind: String, duration: Duration, failed: Bool) {
        registry.makeDurationHistogram(
            name: "flexmeasures_job_duration_seconds", labels: [("kind", kind), ("outcome", failed ? "failed" : "finished")],
            buckets: Self.latencyBuckets, help: "Time to run a scheduling or forecasting job"
        ).record(duration)
    }

    /// Reads the current state of the store and the queue into gauges, then writes every metric.
    func exposition(services: APIServices) async throws -> [UInt8] {
        let statistics = try services.store.statistics()
        registry.makeGauge(name: "flexmeasures_beliefs_stored", help: "Beliefs stored, in segments and in the tail")
            .set(Double(statistics.beliefs))
        registry.makeGauge(name: "flexmeasures_belief_segments", help: "Compressed belief segments").set(Double(statistics.segments))
        registry.makeGauge(name: "flexmeasures_belief_tail", help: "Beliefs waiting in the uncompressed tail")
            .set(Double(statistics.tailBeliefs))
        let path = services.store.database.path
        let size = ["", "-wal"].reduce(0) { total, suffix in
            total + ((try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? NSNumber)?.intValue ?? 0)
        }
        registry.makeGauge(name: "flexmeasures_database_bytes", help: "Size of the database file and its WAL").set(Double(size))
        for queue in QueueName.allCases {
            let counts = try await services.jobs.counts(queue: queue).byStatus
            for status in JobStatus.allCases {
                registry.makeGauge(name: "flexmeasures_jobs", labels: [("queue", queue.rawValue), ("status", status.rawValue)],
                                   help: "Jobs kept in the queue, per state")
                    .set(Double(counts[status] ?? 0))
            }
        }
        let uplink = try services.site.uplinkStatus()
        var bytes = registry.emitToBuffer()
        bytes += Array(Self.uplinkExposition(uplink, at: services.clock()).utf8)
        bytes += Array(Self.alertsExposition(try services.site.alerts(visibleTo: nil, states: [.pending, .firing])).utf8)
        return bytes
    }

    /// The uplink's series, only while one is configured (its journal runs): written here rather than kept as
    /// registered gauges, so that a site whose uplink was switched off shows none, and so that the stream's
    /// forwarded count, read from the database, is a counter (it starts again at 0 with a new stream, which
    /// `rate()` takes as a reset). The last success is 0 before the first.
    static func uplinkExposition(_ status: UplinkStatus?, at now: Instant) -> String {
        guard let status else { return "" }
        let series: [(name: String, type: String, help: String, value: String)] = [
            ("flexmeasures_uplink_up", "gauge", "1 when the uplink's last attempt to forward succeeded, 0 when it failed or none was made yet",
             status.lastAttemptSucceeded == true ? "1" : "0"),
            ("flexmeasures_uplink_backlog_beliefs", "gauge", "Beliefs stored on the site and not yet held centrally (a deletion counts as one)",
             String(status.backlogBeliefs)),
            ("flexmeasures_uplink_backlog_age_seconds", "gauge", "How long the oldest change waiting for the uplink has waited; 0 without a backlog",
             seconds(status.backlogAge(at: now).microseconds)),
            ("flexmeasures_uplink_last_success_timestamp_seconds", "gauge", "When the uplink last forwarded a batch (Unix time); 0 before the first",
             seconds(status.lastForwarded?.microsecondsSinceEpoch ?? 0)),
            ("flexmeasures_uplink_forwarded_beliefs_total", "counter", "Beliefs the central server holds for good in the uplink's current stream",
             String(status.forwardedBeliefs)),
        ]
        return series.map { "# HELP \($0.name) \($0.help)\n# TYPE \($0.name) \($0.type)\n\($0.name) \($0.value)\n" }.joined()
    }

    private static func seconds(_ microseconds: Int64) -> String {
        microseconds % 1_000_000 == 0 ? String(microseconds / 1_000_000) : String(Double(microseconds) / 1e6)
    }

    /// One `ALERTS` sample per pending or firing alert, as Prometheus writes its own: the alert's labels
    /// plus `alertstate`, value 1. Written here rather than kept as registered gauges, so that an alert
    /// that resolved leaves no stale series behind.
    static func alertsExposition(_ alerts: [Alert]) -> String {
        guard !alerts.isEmpty else { return "" }
        var text = "# HELP ALERTS Pending and firing alerts of the site's alert rules\n# TYPE ALERTS gauge\n"
        for alert in alerts {
            var labels = alert.labels
            labels["alertstate"] = alert.state.rawValue
            let pairs = labels.sorted { $0.key < $1.key }.map { name, value in
                let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    .replacingOccurrences(of: "\n", with: "\\n")
                return "\(name)=\"\(escaped)\""
            }
            text += "ALERTS{\(pairs.joined(separator: ","))} 1\n"
        }
        return text
    }
}

/// Counts and times every request by its route pattern (not its path: ids would make every asset a series).
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let metrics: APIMetrics

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let route = context.endpointPath ?? "unmatched"
        metrics.recordRequest(method: request.method.rawValue, route: route, status: response.status.code, duration: ContinuousClock.now - started)
        return response
    }
}
