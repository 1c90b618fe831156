import ServiceLifecycle

/// Pings systemd's watchdog while the daemon lives, and says STOPPING=1 when it shuts down.
struct SystemdWatchdog: Service {
    let notifier: SystemdNotifier
    let interval: Duration?

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while true {
                do {
                    try await Task.sleep(for: interval ?? .seconds(3600))
                } catch {
                    break
                }
                if interval != nil { notifier.notify("WATCHDOG=1") }
            }
        }
        notifier.notify("STOPPING=1")
    }
}
