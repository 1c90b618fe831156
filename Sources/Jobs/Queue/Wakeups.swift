import Synchronization

/// Lets an idle worker sleep until a job is queued in this process, with a timeout for jobs queued by
/// other processes (which only polling finds).
///
/// Each queue has a generation that every enqueue bumps. A worker reads it before it tries to claim and
/// waits only while it is unchanged, so a job queued between a failed claim and the wait is not missed.
final class Wakeups: Sendable {
    private struct State {
        var generations: [QueueName: UInt64] = [:]
        var waiters: [ObjectIdentifier: (queue: QueueName, waiter: Waiter)] = [:]
    }

    private let state = Mutex(State())

    /// The current generation of `queue`, to pass to `wait` after a claim found nothing.
    func generation(of queue: QueueName) -> UInt64 {
        state.withLock { $0.generations[queue, default: 0] }
    }

    /// Wakes every worker waiting on `queue`.
    func signal(_ queue: QueueName) {
        let woken = state.withLock { state -> [Waiter] in
            state.generations[queue, default: 0] &+= 1
            let matching = state.waiters.filter { $0.value.queue == queue }
            for key in matching.keys { state.waiters.removeValue(forKey: key) }
            return matching.values.map(\.waiter)
        }
        for waiter in woken { waiter.wake() }
    }

    /// Returns when `queue` is signalled after generation `seen`, after `timeout`, or on cancellation.
    func wait(for queue: QueueName, after seen: UInt64, timeout: Duration) async {
        let waiter = Waiter()
        let key = ObjectIdentifier(waiter)
        let registered = state.withLock { state -> Bool in
            guard state.generations[queue, default: 0] == seen else { return false }
            state.waiters[key] = (queue, waiter)
            return true
        }
        guard registered else { return }
        let timer = Task {
            // A cancelled sleep wakes a waiter that is already awake: harmless.
            try? await Task.sleep(for: timeout)
            waiter.wake()
        }
        await withTaskCancellationHandler {
            await waiter.suspend()
        } onCancel: {
            waiter.wake()
        }
        timer.cancel()
        _ = state.withLock { $0.waiters.removeValue(forKey: key) }
    }
}

/// One sleeping worker. Waking it before it suspends makes the suspension return at once, so a timer,
/// a signal and a cancellation may arrive in any order.
private final class Waiter: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Void, Never>?
        var woken = false
    }

    private let state = Mutex(State())

    func wake() {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.woken = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume()
    }

    func suspend() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let alreadyWoken = state.withLock { state -> Bool in
                if state.woken { return true }
                state.continuation = continuation
                return false
            }
            if alreadyWoken { continuation.resume() }
        }
    }
}
