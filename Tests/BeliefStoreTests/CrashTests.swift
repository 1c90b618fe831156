import BeliefStore
import Beliefs
import Foundation
import GRDB
import Testing
import TestSupport
import SiteDatabase

/// Kills a writer process (`kill -9`) in the middle of its work, reopens the file, and checks that every
/// acknowledged batch is there whole, no batch is there in part, and SQLite finds the file intact.
@Suite(.serialized) struct CrashTests {
    static var writerBinary: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("belief-store-crash-writer").path),
              directory.path != "/" {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("belief-store-crash-writer")
    }

    /// 20 kills over the four ways of writing, each after a different amount of work.
    static let runs: [(mode: String, killAfterMilliseconds: Int)] = [
        ("bulk", 150), ("bulk", 320), ("bulk", 470), ("bulk", 610), ("bulk", 890),
        ("single", 130), ("single", 340), ("single", 560), ("single", 750), ("single", 980),
        ("concurrent", 160), ("concurrent", 380), ("concurrent", 520), ("concurrent", 730), ("concurrent", 940),
        ("seal", 170), ("seal", 360), ("seal", 580), ("seal", 690), ("seal", 870),
    ]

    @Test(arguments: runs)
    func everyAcknowledgedBatchSurvivesAKill(mode: String, killAfterMilliseconds: Int) throws {
        let file = try TemporaryDatabase()
        let (sensor, source) = try {
            let site = try SiteDatabase(path: file.path, migrations: BeliefStoreSchema.all)
            return try site.pool.write { db in
                (try SensorCatalog.createSensor(unit: "MW", eventResolution: .minutes(15), in: db),
                 try SensorCatalog.userSource(userID: 1, name: "gateway", in: db).id)
            }
        }()

        let process = Process()
        process.executableURL = Self.writerBinary
        process.arguments = [file.path, mode, String(sensor), String(source)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let acknowledged = AcknowledgementLog()
        output.fileHandleForReading.readabilityHandler = { acknowledged.append($0.availableData) }

        // Wait for the first acknowledgement so that the kill lands in sustained work, not at start-up.
        let deadline = Date().addingTimeInterval(30)
        while acknowledged.batches.isEmpty && Date() < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.005)
        }
        Thread.sleep(forTimeInterval: Double(killAfterMilliseconds) / 1000)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        output.fileHandleForReading.readabilityHandler = nil
        acknowledged.append(output.fileHandleForReading.readDataToEndOfFile())
        #expect(process.terminationReason == .uncaughtSignal)

        let acks = acknowledged.batches
        try #require(!acks.isEmpty, "the writer acknowledged nothing before the kill")

        let site = try SiteDatabase(path: file.path, migrations: BeliefStoreSchema.all)
        let integrity = try site.pool.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == ["ok"])
        let store = BeliefStore(database: site)
        let origin = Instant(secondsSinceEpoch: 1_609_459_200)
        let stored = try store.beliefs(sensorID: sensor, from: origin - .days(1), to: origin + .days(365 * 1000))

        let size = mode == "bulk" ? 2000 : 1
        var perBatch: [Int: Int] = [:]
        for belief in stored {
            let slot = Int((belief.eventStart - origin).microseconds / Timespan.minutes(15).microseconds)
            let (n, offset) = slot.quotientAndRemainder(dividingBy: size)
            #expect(belief.beliefTime == belief.eventStart + .minutes(15))
            #expect(belief.value == Double((n * 7919 + offset * 31) % 100_000) / 1000, "value of batch \(n) intact")
            perBatch[n, default: 0] += 1
        }
        for (n, count) in perBatch {
            #expect(count == size, "batch \(n) is there whole or not at all")
        }
        for n in acks {
            #expect(perBatch[n] == size, "acknowledged batch \(n) survived")
        }
        #expect(stored.count == perBatch.count * size)
    }
}

/// Collects `ACK n` lines from the writer's stdout as they arrive.
final class AcknowledgementLog: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""
    private var acknowledged: [Int] = []

    func append(_ data: Data) {
        lock.withLock {
            buffer += String(decoding: data, as: UTF8.self)
            while let newline = buffer.firstIndex(of: "\n") {
                let line = buffer[..<newline]
                if line.hasPrefix("ACK "), let n = Int(line.dropFirst(4)) { acknowledged.append(n) }
                buffer.removeSubrange(...newline)
            }
        }
    }

    var batches: [Int] { lock.withLock { acknowledged } }
}
