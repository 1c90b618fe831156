import ArgumentParser
import BeliefStore
import Beliefs
import Foundation
import GRDB
import Site
import SiteDatabase

/// `db-ops save DIR` and `db-ops load DIR`: the registry as JSON (`registry.json`, one list of rows
/// per table) and every belief as CSV (`beliefs.csv`, the format `restoreData` and `add beliefs`
/// read), portable across releases and readable by anything.
enum PortableBackup {
    /// The registry's tables in the order rows can be inserted (what rows point at comes first).
    static let tables = [
        "role", "user", "user_role", "asset_type", "market_type", "weather_sensor_type", "sensor", "data_source",
        "market", "asset", "site_connection", "weather_sensor", "udi_event",
    ]

    static func save(_ site: SiteDatabase, to folder: URL) throws -> (rows: Int, beliefs: Int) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // One read transaction: the registry and the beliefs of one moment, while the daemon writes on.
        return try site.pool.read { db in
            var registry: [String: JSONValue] = [:]
            var rows = 0
            for table in tables {
                let values = try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map { row in
                    JSONValue.object(Dictionary(uniqueKeysWithValues: row.columnNames.map { name in
                        (name, json(row[name] as DatabaseValue))
                    }))
                }
                rows += values.count
                registry[table] = .array(values)
            }
            registry["migrations"] = .array(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations").map(JSONValue.string))
            try Data(JSONWriter.bytes(.object(registry))).write(to: folder.appendingPathComponent("registry.json"))

            // Written sensor by sensor, so a long history never sits in memory whole.
            let store = BeliefStore(database: site)
            let file = folder.appendingPathComponent("beliefs.csv")
            FileManager.default.createFile(atPath: file.path, contents: nil)
            let output = try FileHandle(forWritingTo: file)
            defer { try? output.close() }
            try output.truncate(atOffset: 0)
            try output.write(contentsOf: Data((SavedBeliefs.header + "\n").utf8))
            var beliefs = 0
            for sensor in try Int64.fetchAll(db, sql: "SELECT id FROM sensor ORDER BY id") {
                var text = ""
                for belief in try store.beliefs(sensorID: sensor, from: Instant(microsecondsSinceEpoch: .min / 2), to: Instant(microsecondsSinceEpoch: .max / 2), in: db) {
                    text += SavedBeliefs.line(for: belief) + "\n"
                    beliefs += 1
                }
                try output.write(contentsOf: Data(text.utf8))
            }
            try output.synchronize()
            return (rows, beliefs)
        }
    }

    static func json(_ value: DatabaseValue) -> JSONValue {
        switch value.storage {
        case .null: .null
        case let .int64(number): .number(Double(number))
        case let .double(number): .number(number)
        case let .string(text): .string(text)
        case let .blob(data): .string(data.base64EncodedString())
        }
    }

    static func load(_ site: SiteDatabase, from folder: URL) throws -> (rows: Int, beliefs: Int) {
        let registryFile = folder.appendingPathComponent("registry.json")
        guard let bytes = try? Data(contentsOf: registryFile), case let .object(registry)? = try? JSONParser.parse(Array(bytes)) else {
            throw UsageFailure("\(registryFile.path) is missing or not JSON: load reads a folder made by `db-ops save`")
        }
        let known = Set(SiteSchema.migrations.map(\.identifier))
        let saved = registry["migrations"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard saved.allSatisfy(known.contains) else {
            throw UsageFailure("\(folder.path) was saved by a newer flexmeasures; upgrade first")
        }
        let beliefs: [Belief]
        do {
            beliefs = try SavedBeliefs.read(folder.appendingPathComponent("beliefs.csv"))
        } catch let error as BeliefCSV.Invalid {
            throw UsageFailure(error.description)
        }
        return try site.write { db in
            guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM user")! == 0,
                  try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sensor")! == 0 else {
                throw UsageFailure("the database is not empty: run `flexmeasures db-ops reset` first")
            }
            // The roles a migration seeded give way to the saved ones (same names, perhaps other ids).
            try db.execute(sql: "DELETE FROM role")
            var rows = 0
            for table in tables {
                for row in registry[table]?.arrayValue ?? [] {
                    guard case let .object(columns) = row, !columns.isEmpty else { continue }
                    let names = columns.keys.sorted()
                    let quoted = names.map { "\"\($0.replacingOccurrences(of: "\"", with: ""))\"" }.joined(separator: ", ")
                    try db.execute(
                        sql: "INSERT INTO \(table) (\(quoted)) VALUES (\(databaseQuestionMarks(count: names.count)))",
                        arguments: StatementArguments(names.map { databaseValue(columns[$0]!) })
                    )
                    rows += 1
                }
            }
            try BeliefStore(database: site).append(beliefs, in: db)
            return (rows, beliefs.count)
        }
    }

    static func databaseValue(_ value: JSONValue) -> DatabaseValue {
        switch value {
        case .null: return .null
        case let .bool(flag): return (flag ? 1 : 0).databaseValue
        case let .number(number):
            return number == number.rounded() && abs(number) < 9e15 ? Int64(number).databaseValue : number.databaseValue
        case let .string(text): return text.databaseValue
        default: return .null
        }
    }
}

extension DBOpsCommand {
    struct Save: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save the registry (JSON) and every belief (CSV) into a folder, consistent while the daemon writes."
        )

        @Argument(help: "The folder to write (created if needed).") var folder: String
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let (rows, beliefs) = try PortableBackup.save(try database.open(policy: .inspectOnly), to: URL(fileURLWithPath: folder))
            print("Saved \(rows) registry rows and \(beliefs) beliefs to \(folder).")
        }
    }

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a folder made by `db-ops save` into an empty database (run `db-ops reset` first)."
        )

        @Argument(help: "The folder to read.") var folder: String
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let (rows, beliefs) = try PortableBackup.load(try database.open(), from: URL(fileURLWithPath: folder))
            print("Loaded \(rows) registry rows and \(beliefs) beliefs from \(folder).")
        }
    }
}
