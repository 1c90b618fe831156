import ArgumentParser
import BeliefStore
import Beliefs
import Foundation
import GRDB
import TestSupport
import SiteDatabase

/// `flexmeasures-bench store`: ingest, size and query figures of the belief store and of a plain row table.
struct StoreBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Bulk ingest, single commits, bytes per belief and query latency, against a plain row table."
    )

    @Option(help: "Durable batches of a year of 15-minute readings (35,040 beliefs) to ingest.") var batches = 10
    @Option(help: "Single-belief commits to time.") var commits = 2000
    @Option(help: "Repetitions of each query.") var queries = 200
    @Option(help: "Sensors with a year each for the bytes-per-belief figures.") var sizeSensors = 10
    @Option(help: "The most beliefs per segment (default: the store's).") var segmentBeliefs: Int?
    @Option(help: "Folder for the benchmark's database files (default: a new temporary folder).") var directory: String?

    mutating func run() async throws {
        let folder = try directory.map { URL(fileURLWithPath: $0) } ?? Self.temporaryFolder()
        defer { if directory == nil { try? FileManager.default.removeItem(at: folder) } }
        var generator = SeriesGenerator(seed: 2024)
        let quarterHour = Timespan.minutes(15)
        let yearOfQuarterHours = 35_040
        let meterValues = generator.meterValues(count: yearOfQuarterHours, resolution: quarterHour)
        let priceValues = generator.priceValues(count: 8_760, resolution: .hours(1))
        print("# belief store benchmark: \(batches) batches of \(yearOfQuarterHours) beliefs, synchronous=FULL")

        // Bulk ingest: every batch a year of one sensor, one durable commit each.
        var configuration = BeliefStore.Configuration()
        if let segmentBeliefs { configuration.maximumSegmentBeliefs = segmentBeliefs }
        print("# segments of at most \(configuration.maximumSegmentBeliefs) beliefs")
        let ingest = try StoreSite(folder: folder, name: "ingest", sensors: batches, resolution: quarterHour, configuration: configuration)
        let rows = try RowTable(path: folder.appendingPathComponent("ingest-rows.db").path)
        let batchBeliefs = ingest.sensors.map {
            SeriesGenerator.beliefs(values: meterValues, sensor: $0, source: ingest.source, resolution: quarterHour)
        }
        var storeSeconds = 0.0
        var rowSeconds = 0.0
        for beliefs in batchBeliefs {
            storeSeconds += try Stopwatch.seconds { try ingest.store.appendNow(beliefs) }
            rowSeconds += try Stopwatch.seconds { try rows.append(beliefs) }
        }
        let total = Double(batches * yearOfQuarterHours)
        report("bulk ingest beliefs/s", total / storeSeconds, decimals: 0)
        report("row table bulk ingest beliefs/s", total / rowSeconds, decimals: 0)
        report("bulk ingest ratio (store / row table)", rowSeconds / storeSeconds, decimals: 1)

        // Single-belief commits: a gateway posting one reading at a time.
        let single = try StoreSite(folder: folder, name: "single", sensors: 1, resolution: quarterHour, configuration: configuration)
        let singleRows = try RowTable(path: folder.appendingPathComponent("single-rows.db").path)
        let singles = SeriesGenerator.beliefs(
            values: Array(meterValues.prefix(commits)), sensor: single.sensors[0], source: single.source, resolution: quarterHour
        )
        let singleSeconds = try Stopwatch.seconds { for belief in singles { try single.store.appendNow([belief]) } }
        let singleRowSeconds = try Stopwatch.seconds { for belief in singles { try singleRows.append([belief]) } }
        report("single-belief commits/s", Double(commits) / singleSeconds, decimals: 0)
        report("row table single-row commits/s", Double(commits) / singleRowSeconds, decimals: 0)

        let concurrent = try StoreSite(folder: folder, name: "concurrent", sensors: 50, resolution: quarterHour, configuration: configuration)
        let perWriter = max(1, commits / 50)
        let concurrentSeconds = try await Stopwatch.seconds {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for sensor in concurrent.sensors {
                    let beliefs = SeriesGenerator.beliefs(
                        values: Array(meterValues.prefix(perWriter)), sensor: sensor, source: concurrent.source, resolution: quarterHour
                    )
                    group.addTask { for belief in beliefs { try await concurrent.store.append([belief]) } }
                }
                try await group.waitForAll()
            }
        }
        report("single-belief appends/s, 50 concurrent writers sharing commits", Double(50 * perWriter) / concurrentSeconds, decimals: 0)

        // Bytes per belief: a year of the series for each of `sizeSensors` sensors (each its own random
        // draw), the growth of the checkpointed file over the same file before the data, per belief. Many
        // sensors keep the 4 KiB page granularity out of the figure; the empty schema (a fixed ~40 KiB) is
        // reported apart, as the whole-file figure.
        for name in ["meter", "price"] {
            let resolution = name == "meter" ? quarterHour : Timespan.hours(1)
            let site = try StoreSite(folder: folder, name: "size-\(name)", sensors: sizeSensors, resolution: resolution, configuration: configuration)
            let rowFile = folder.appendingPathComponent("size-\(name)-rows.db").path
            let rowTable = try RowTable(path: rowFile)
            let emptyStore = try site.checkpointedSize()
            let emptyRows = try Self.checkpointedSize(rowTable.pool, path: rowFile)
            var count = 0
            for (index, sensor) in site.sensors.enumerated() {
                var draw = SeriesGenerator(seed: 100 + UInt64(index))
                let values = name == "meter"
                    ? (index == 0 ? meterValues : draw.meterValues(count: yearOfQuarterHours, resolution: resolution))
                    : (index == 0 ? priceValues : draw.priceValues(count: 8_760, resolution: resolution))
                let beliefs = SeriesGenerator.beliefs(values: values, sensor: sensor, source: site.source, resolution: resolution)
                try site.store.appendNow(beliefs)
                try rowTable.append(beliefs)
                count += beliefs.count
            }
            try site.store.maintain()
            let storeBytes = Double(try site.checkpointedSize() - emptyStore) / Double(count)
            let rowBytes = Double(try Self.checkpointedSize(rowTable.pool, path: rowFile) - emptyRows) / Double(count)
            report("\(name) bytes per belief", storeBytes, decimals: 3)
            report("\(name) row table bytes per belief", rowBytes, decimals: 1)
            report("\(name) size ratio (row table / store)", rowBytes / storeBytes, decimals: 1)
            report("\(name) bytes per belief, whole file with its empty schema", Double(try site.checkpointedSize()) / Double(count), decimals: 3)
            report("\(name) empty schema bytes", Double(emptyStore), decimals: 0)
            let statistics = try site.store.statistics()
            report("\(name) segment payload bytes per belief", Double(statistics.segmentBytes) / Double(count), decimals: 3)
            if name == "meter" {
                try queryLatencies(site: site, rows: rowTable, resolution: resolution)
            }
        }
    }

    /// Median and p99 latency of selecting a day, a month and the year of the meter series.
    private func queryLatencies(site: StoreSite, rows: RowTable, resolution: Timespan) throws {
        let sensor = site.sensors[0]
        var random = SeededGenerator(seed: 7)
        for (label, days, repetitions) in [("day", 1, queries * 5), ("month", 30, queries), ("year", 365, queries)] {
            var storeTimes: [Double] = []
            var rowTimes: [Double] = []
            for _ in 0..<repetitions {
                let firstDay = days == 365 ? 0 : Int(random.next() % UInt64(365 - days))
                let start = SeriesGenerator.origin + .days(Int64(firstDay))
                let end = start + .days(Int64(days))
                var storeCount = 0
                var rowCount = 0
                storeTimes.append(try Stopwatch.seconds {
                    storeCount = try site.store.mostRecentBeliefs(sensorID: sensor, from: start, to: end).count
                })
                rowTimes.append(try Stopwatch.seconds {
                    rowCount = try rows.mostRecentBeliefs(sensorID: sensor, from: start, to: end, resolution: resolution).count
                })
                precondition(storeCount == days * 96 && rowCount == storeCount, "both must return every slot")
            }
            report("query \(label) median ms", storeTimes.median * 1000, decimals: 3)
            report("query \(label) p99 ms", storeTimes.percentile(0.99) * 1000, decimals: 3)
            report("row table query \(label) median ms", rowTimes.median * 1000, decimals: 3)
            report("row table query \(label) p99 ms", rowTimes.percentile(0.99) * 1000, decimals: 3)
            report("query \(label) ratio (row table / store, medians)", rowTimes.median / storeTimes.median, decimals: 1)
        }
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fm-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func checkpointedSize(_ pool: DatabasePool, path: String) throws -> Int {
        try pool.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.size] as? NSNumber)?.intValue ?? 0
    }
}

/// A benchmark database: the belief store's schema, some sensors and one source.
struct StoreSite: Sendable {
    let path: String
    let store: BeliefStore
    let sensors: [SensorID]
    let source: SourceID

    init(folder: URL, name: String, sensors count: Int, resolution: Timespan, configuration: BeliefStore.Configuration) throws {
        path = folder.appendingPathComponent("\(name).db").path
        let database = try SiteDatabase(path: path, migrations: BeliefStoreSchema.all)
        store = BeliefStore(database: database, configuration: configuration)
        (sensors, source) = try database.pool.write { db in
            (try (0..<count).map { _ in try SensorCatalog.createSensor(unit: "MW", eventResolution: resolution, in: db) },
             try SensorCatalog.userSource(userID: 1, name: "gateway", in: db).id)
        }
    }

    func checkpointedSize() throws -> Int {
        try StoreBenchmark.checkpointedSize(store.database.pool, path: path)
    }
}
