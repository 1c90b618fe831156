import BeliefStore
import Foundation
import Hummingbird
import Jobs
import Prometheus
import Site

/// The appliance's metrics in the Prometheus text format at `GET /metrics`: requests and their
/// latency per route, solve and forecast durations, and, read at each scrape, the beliefs and segments
/// stored, the database's size and the jobs per state.
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
        var bytes = registry.emitToBuffer()
        bytes += Array(Self.alertsExposition(try services.site.alerts(visibleTo: nil, states: [.pending, .firing])).utf8)
        return bytes
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
