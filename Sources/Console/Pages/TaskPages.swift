import Beliefs
import Hummingbird
import Jobs
import Site

/// The job queues (administrators): counts per queue and status, the newest jobs with their errors, and
/// retrying a failed job.
enum TaskPages {
    static let limit = 100

    static func add(to router: Router<ConsoleContext>, services: ConsoleServices, pages: PageRenderer) {
        let jobs = services.site.jobs
        router.get("/tasks") { request, context in
            let session = try context.requireAdmin(request)
            let query = request.uri.queryParameters
            let queue = query["queue"].flatMap { QueueName(rawValue: String($0)) }
            let status = query["status"].flatMap { JobStatus(rawValue: String($0)) }
            var queues: [[String: Any]] = []
            for name in QueueName.allCases {
                let (byStatus, oldest) = try await jobs.counts(queue: name)
                var row: [String: Any] = ["name": name.rawValue]
                for state in JobStatus.allCases { row[state.rawValue] = byStatus[state] ?? 0 }
                if let oldest {
                    row["oldest"] = Formatting.iso(oldest)
                    row["oldestText"] = Formatting.readable(oldest)
                }
                queues.append(row)
            }
            let listed = try await jobs.recentJobs(queue: queue, status: status, limit: limit).map { job -> [String: Any] in
                [
                    "id": job.id, "queue": job.queue.rawValue, "kind": job.kind, "status": job.status.rawValue,
                    "created": Formatting.iso(job.createdAt), "createdText": Formatting.readable(job.createdAt),
                    "attempts": job.attempts, "error": String((job.error ?? "").prefix(300)), "failed": job.status == .failed,
                    "csrfToken": session.csrfToken,
                ]
            }
            let values: [String: Any] = [
                "queues": queues, "jobs": listed, "limit": limit,
                "queueChoices": QueueName.allCases.map { ["value": $0.rawValue, "selected": $0 == queue] },
                "statusChoices": JobStatus.allCases.map { ["value": $0.rawValue, "selected": $0 == status] },
            ]
            return pages.page("tasks", title: "Tasks", section: .tasks, session: session, values: values)
        }
        router.post("/tasks/{id}/retry") { request, context in
            let (session, _) = try await context.form(request)
            guard session.user.isAdmin else { throw ConsoleError.forbidden("This page is for administrators.") }
            guard let text = context.parameters.get("id"), let id = JobID(text), id > 0 else { throw ConsoleError.notFound("There is no such job.") }
            guard try await jobs.job(id: id) != nil else { throw ConsoleError.notFound("There is no job \(id).") }
            guard try await jobs.retry(id: id) != nil else {
                throw ConsoleError.unprocessable("Job \(id) is not a failed job (any more): only failed jobs are retried.")
            }
            return ConsoleRedirect(to: "/tasks").response
        }
    }
}
