import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The daemon tells systemd when it serves, that it lives, and when it stops.
@Suite(.serialized) struct SystemdNotifyTests {
    /// A datagram socket that collects what the daemon sends.
    final class NotifySocket {
        let path: String
        let fd: Int32

        init(path: String) throws {
            self.path = path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
            let bound = withUnixAddress(path) { bind(fd, $0, $1) }
            guard bound == 0 else { throw HTTPClient.Failure(description: "cannot bind \(path)") }
            var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(fd) }

        /// Messages received until `until` is true or the deadline passes.
        func collect(for seconds: Double, until: ([String]) -> Bool) -> [String] {
            var messages: [String] = []
            let deadline = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while Date() < deadline && !until(messages) {
                let count = recv(fd, &buffer, buffer.count, 0)
                if count > 0 { messages.append(String(decoding: buffer[0..<count], as: UTF8.self)) }
            }
            return messages
        }
    }

    @Test func readyWatchdogAndStoppingReachTheNotifySocket() throws {
        let file = try TemporaryDatabase()
        let notify = try NotifySocket(path: file.directory.appendingPathComponent("notify.sock").path)
        var runner = CommandRunner(database: file.path)
        runner.environment["NOTIFY_SOCKET"] = notify.path
        runner.environment["WATCHDOG_USEC"] = "200000"
        let daemon = try RunningDaemon(runner: runner)
        let started = notify.collect(for: 5) { messages in
            messages.contains { $0.contains("READY=1") } && messages.contains("WATCHDOG=1")
        }
        #expect(started.contains { $0.hasPrefix("READY=1") }, "\(started)")
        #expect(started.contains("WATCHDOG=1"), "\(started)")
        #expect(daemon.stop() == 0)
        let stopping = notify.collect(for: 3) { $0.contains("STOPPING=1") }
        #expect(stopping.contains("STOPPING=1"), "\(stopping)")
    }

    @Test func withoutNotifySocketNothingIsSent() throws {
        let file = try TemporaryDatabase()
        let daemon = try RunningDaemon(runner: CommandRunner(database: file.path))
        #expect(try daemon.tcp.send("GET", "/api/").status == 200)
        #expect(daemon.stop() == 0)
    }
}
