import Beliefs
import Jobs
import Synchronization

/// Whether the daemon's own job workers still run: each reports every sign of life (an empty look at its
/// queue about once a second, a claim, a lease renewal a third of a lease into a job, an outcome), and
/// `GET /api/health` calls a worker dead once it has been silent for a whole lease or its loop has ended.
public final class WorkerLiveness: Sendable {
    public struct State: Sendable, Equatable {
        public let alive: Bool
        /// Seconds since the worker was last heard of.
        public let silentSeconds: Double
    }

    /// Silence longer than this means a stuck or dead worker: a busy worker renews its lease every third
    /// of 30 s, an idle one looks at its queue every second.
    public let allowedSilence: Timespan
    private let lastSeen = Mutex<[QueueName: (at: Instant, running: Bool)]>([:])

    public init(allowedSilence: Timespan = .seconds(30)) {
        self.allowedSilence = allowedSilence
    }

    /// The worker of `queue` is alive now.
    public func heard(from queue: QueueName, at instant: Instant = .now()) {
        lastSeen.withLock { $0[queue] = (instant, true) }
    }

    /// The worker loop of `queue` has returned.
    public func stopped(_ queue: QueueName, at instant: Instant = .now()) {
        lastSeen.withLock { $0[queue] = (instant, false) }
    }

    /// Each queue with a worker in this process, and whether that worker lives at `instant`.
    public func states(at instant: Instant = .now()) -> [QueueName: State] {
        lastSeen.withLock { seen in
            seen.mapValues { entry in
                let silence = instant - entry.at
                return State(alive: entry.running && silence <= allowedSilence, silentSeconds: Double(silence.microseconds) / 1e6)
            }
        }
    }
}
