import API
import Dispatch
import Logging
import ServiceLifecycle
import Site

/// Runs the alert rules that no ingest triggers (data gaps, failed and overdue jobs, dead workers, silent
/// data sources) and the reminders of firing alerts, every `interval` while the daemon runs. A failed pass
/// is logged and the next one tried; the states and the outbox live in the database, so a restart loses
/// nothing and tells nothing twice. After each pass the outbox's new notices go to the delivery queue.
struct AlertTimer: Service {
    let site: Site
    let workers: WorkerLiveness
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await everyInterval(interval) {
            do {
                let alive = workers.states(at: site.clock()).mapValues(\.alive)
                let report = try await site.evaluateAlerts(workers: alive)
                if report.notices > 0 {
                    logger.info("alert timer: \(report.notices) notification(s) written for \(report.alertsJudged) alert(s) judged")
                }
            } catch {
                logger.error("alert timer pass failed: \(error)")
            }
            // Also after a failed pass: notices written by ingest wait for it.
            do {
                let queued = try await site.dispatchAlertNotices()
                if !queued.isEmpty { logger.info("alert delivery: \(queued.count) delivery job(s) queued") }
            } catch {
                logger.error("alert delivery: handing notices to the delivery queue failed (tried again next pass): \(error)")
            }
        }
    }
}
