import API
import BeliefStore
import Dispatch
import Logging
import ServiceLifecycle
import Site

/// Seals belief tails and compacts small segments in the background while the daemon runs.
/// The work blocks on SQLite, so it runs on a dispatch queue, never on the few cooperative threads
/// that serve requests.
struct BeliefStoreMaintenance: Service {
    let store: BeliefStore
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await everyInterval(interval) {
            do {
                let report = try await runBlocking { try store.maintain() }
                if report.sealedBeliefs > 0 || report.segmentsMerged > 0 {
                    logger.debug("sealed \(report.sealedBeliefs) beliefs, merged \(report.segmentsMerged) segments into \(report.segmentsWritten)")
                }
            } catch {
                logger.error("belief store maintenance failed: \(error)")
            }
        }
    }
}

