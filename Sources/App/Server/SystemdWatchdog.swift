import ServiceLifecycle

/// Pings systemd's watchdog while the daemon lives, and says STOPPING=1 when it shuts down.
struct SystemdWatchdog: Service {
    let notifier: SystemdNotifier
    let interval: Duration?

    func run() async throws {
        if let interval {
            await cancelWhenGracefulShutdown {
                while (try? await Task.sleep(for: interval)) != nil {
                    notifier.notify("WATCHDOG=1")
                }
            }
        } else {
            try? await gracefulShutdown()
        }
        notifier.notify("STOPPING=1")
    }
}
