import ServiceLifecycle

/// Runs `pass` every `interval` while the daemon runs; a graceful shutdown ends the wait, and the loop,
/// without an error. `pass` handles its own failures, so that one failed pass never stops the next.
func everyInterval(_ interval: Duration, _ pass: @escaping @Sendable () async -> Void) async {
    await cancelWhenGracefulShutdown {
        while true {
            do { try await Task.sleep(for: interval) } catch { return }
            await pass()
        }
    }
}
