import Foundation
import Testing
import TestSupport

/// The daemon's own alert timer and delivery worker, as a process: a threshold breached through the API
/// reaches a webhook receiver on loopback, and a restart while the alert fires sends nothing twice. Real
/// time, but short (`FLEXMEASURES_ALERT_INTERVAL=1`); every wait polls against a generous deadline.
@Suite(.serialized) struct AlertDaemonTests {
    /// `Tests/DeliveryTests/webhook_receiver.py` on a free loopback port, answering 200, writing each body
    /// into a folder; it stops when the test drops it.
    final class WebhookReceiver {
        let process = Process()
        let folder: URL
        let port: Int
        private let input = Pipe()

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("webhook-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("DeliveryTests/webhook_receiver.py")
            let output = Pipe()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
            process.arguments = [script.path, folder.path, "200"]
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            // read(2) itself, retried on EINTR: FileHandle's reads trap on an interrupted call, and the other
            // tests' processes end (and signal) all the time.
            var line = Data()
            let descriptor = output.fileHandleForReading.fileDescriptor
            var byte: UInt8 = 0
            while true {
                let count = read(descriptor, &byte, 1)
                if count < 0, errno == EINTR { continue }
                if count <= 0 || byte == 0x0A { break }
                line.append(byte)
            }
            let text = String(decoding: line, as: UTF8.self)
            guard text.hasPrefix("READY "), let port = Int(text.dropFirst(6)) else {
                process.terminate()
                throw RunningDaemon.StartFailure(description: "the webhook receiver did not start: \(text)")
            }
            self.port = port
        }

        deinit {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: folder)
        }

        /// The messages received so far, in order, as JSON objects.
        func received() throws -> [[String: Any]] {
            try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted().map {
                try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent($0))) as? [String: Any] ?? [:]
            }
        }

        /// Polls until `count` messages arrived or `seconds` passed; returns what arrived.
        func await(count: Int, within seconds: TimeInterval) throws -> [[String: Any]] {
            let deadline = Date().addingTimeInterval(seconds)
            var messages = try received()
            while messages.count < count, Date() < deadline {
                Thread.sleep(forTimeInterval: 0.1)
                messages = try received()
            }
            return messages
        }
    }

    /// One quarter-hour measurement of the battery through postMeterData (known at the event's end).
    static func measure(_ site: APISite, _ value: Double, start: Date) throws {
        let formatter = ISO8601DateFormatter()
        let reply = try site.send("POST", "/api/v2_0/postMeterData", as: "prosumer", json: [
            "type": "PostMeterDataRequest", "connection": APISite.battery, "values": [value],
            "start": formatter.string(from: start), "duration": "PT15M", "horizon": "PT0S", "unit": "MW",
        ])
        #expect(reply.status == 200, "\(reply.text)")
    }

    @Test func theDaemonsTimerDeliversAnAlertAndARestartWhileItFiresSendsNothingTwice() throws {
        let receiver = try WebhookReceiver()
        let site = try APISite(environment: [
            "FLEXMEASURES_ALERT_INTERVAL": "1", "FLEXMEASURES_ALERT_WEBHOOK_URL": "http://127.0.0.1:\(receiver.port)/alerts",
        ])
        let rule = try site.send("POST", "/api/v2_0/alert-rules", as: "prosumer", json: [
            "name": "battery hot", "kind": "threshold_above", "sensor_id": 4, "value": 1, "recovery": 0.5, "severity": "critical",
        ])
        #expect(rule.status == 201, "\(rule.text)")
        // The two quarter hours before the current one: both measured, ended by now.
        let quarter = 15 * 60.0
        let current = (Date().timeIntervalSince1970 / quarter).rounded(.down) * quarter
        try Self.measure(site, 3, start: Date(timeIntervalSince1970: current - 2 * quarter))

        let fired = try receiver.await(count: 1, within: 60)
        try #require(fired.count == 1, "no webhook within 60 s: \(site.daemon.logText.suffix(2000))")
        #expect(fired[0]["status"] as? String == "firing")
        let alerts = fired[0]["alerts"] as? [[String: Any]] ?? []
        #expect((alerts.first?["labels"] as? [String: String])?["alertname"] == "battery hot")

        // A restart while it fires: the new daemon neither loses the alert nor tells it again.
        try site.restartDaemon()
        let firing = try site.get("/api/v2_0/alerts", as: "prosumer", query: ["state": "firing"])
        #expect(firing.jsonList?.count == 1, "\(firing.text)")
        try Self.measure(site, 0.2, start: Date(timeIntervalSince1970: current - quarter))
        let messages = try receiver.await(count: 2, within: 60)
        #expect(messages.map { $0["status"] as? String } == ["firing", "resolved"], "\(messages) \(site.daemon.logText.suffix(2000))")
        // Absence needs a while to be seen: two more seconds (two timer passes) bring nothing else.
        #expect(try receiver.await(count: 3, within: 2).count == 2)
        #expect(site.daemon.stop() == 0)
    }
}
