import BeliefStore
import Beliefs
import Foundation
import GRDB

/// A portable backup of a site (`db-ops save` and `db-ops load`): the registry as JSON (`registry.json`,
/// one list of rows per table, and the migrations the file had) and every belief as CSV (`beliefs.csv`,
/// the format `restoreData` and `add beliefs` read), portable across releases and readable by anything.
public enum PortableBackup {
    public static let registryFileName = "registry.json"
    public static let beliefsFileName = "beliefs.csv"

    /// The registry's tables in the order rows can be inserted (what rows point at comes first).
    static let tables = [
        "role", "user", "user_role", "asset_type", "market_type", "weather_sensor_type", "sensor", "data_source",
        "market", "asset", "site_connection", "weather_sensor", "udi_event",
        "alert_rule", "alert", "alert_silence", "alert_notification", "alert_activity",
    ]

    /// What a save wrote or a load stored.
    public struct Counts: Sendable, Equatable {
        public let registryRows: Int
        public let beliefs: Int
    }

    /// Why a backup could not be loaded; nothing was stored.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case unreadableRegistry(path: String)
        case savedByNewerRelease(folder: String, unknownMigrations: [String])
        case databaseNotEmpty
        case invalidBeliefs(BeliefCSV.Invalid)
        case beliefsRefused(IngestError)
        case registryRowRefused(table: String, row: Int, reason: String)

        public var description: String {
            switch self {
            case let .unreadableRegistry(path):
                "\(path) is missing or not JSON: load reads a folder made by `db-ops save`"
            case let .savedByNewerRelease(folder, unknown):
                "\(folder) was saved by a newer flexmeasures (migrations \(unknown.joined(separator: ", ")) are unknown here); upgrade first"
            case .databaseNotEmpty:
                "the database is not empty: run `flexmeasures db-ops reset` first"
            case let .invalidBeliefs(error):
                error.description
            case let .beliefsRefused(error):
                "the backup's beliefs cannot be stored: \(error.description); nothing was loaded"
            case let .registryRowRefused(table, row, reason):
                "row \(row + 1) of \(table) in the backup cannot be stored: \(reason); nothing was loaded"
            }
        }
    }
}

extension Site {
    /// Writes the registry and every belief of one moment into `folder` (created if needed), while the
    /// daemon writes on; beliefs sensor by sensor, so a long history never sits in memory whole.
    public func savePortableBackup(to folder: URL) throws -> PortableBackup.Counts {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return try store.database.pool.read { [store] db in
            var registry: [String: JSONValue] = [:]
            var rows = 0
            for table in PortableBackup.tables {
                let values = try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map { row in
                    JSONValue.object(Dictionary(uniqueKeysWithValues: row.columnNames.map { name in
                        (name, PortableBackup.json(row[name] as DatabaseValue))
                    }))
                }
                rows += values.count
                registry[table] = .array(values)
            }
            registry["migrations"] = .array(try store.database.appliedMigrations(in: db).map(JSONValue.string))
            try Data(JSONWriter.bytes(.object(registry))).write(to: folder.appendingPathComponent(PortableBackup.registryFileName))

            let file = folder.appendingPathComponent(PortableBackup.beliefsFileName)
            FileManager.default.createFile(atPath: file.path, contents: nil)
            let output = try FileHandle(forWritingTo: file)
            defer { try? output.close() }
            try output.truncate(atOffset: 0)
            try output.write(contentsOf: Data((SavedBeliefs.header + "\n").utf8))
            var beliefs = 0
            let everything = (from: Instant(microsecondsSinceEpoch: .min / 2), to: Instant(microsecondsSinceEpoch: .max / 2))
            for sensor in try SensorCatalog.sensorIDs(in: db) {
                var text = ""
                for belief in try store.beliefs(sensorID: sensor, from: everything.from, to: everything.to, in: db) {
                    text += SavedBeliefs.line(for: belief) + "\n"
                    beliefs += 1
                }
                try output.write(contentsOf: Data(text.utf8))
            }
            try output.synchronize()
            return PortableBackup.Counts(registryRows: rows, beliefs: beliefs)
        }
    }

    /// Loads a folder made by `savePortableBackup` into an empty site, in one transaction: all of it or,
    /// on any error, nothing.
    public func loadPortableBackup(from folder: URL) throws -> PortableBackup.Counts {
        let registryFile = folder.appendingPathComponent(PortableBackup.registryFileName)
        guard let bytes = try? Data(contentsOf: registryFile), case let .object(registry)? = try? JSONParser.parse(Array(bytes)) else {
            throw PortableBackup.Failure.unreadableRegistry(path: registryFile.path)
        }
        let known = Set(store.database.migrations.map(\.identifier))
        let unknown = (registry["migrations"]?.arrayValue?.compactMap(\.stringValue) ?? []).filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw PortableBackup.Failure.savedByNewerRelease(folder: folder.path, unknownMigrations: unknown)
        }
        let beliefs: [Belief]
        do {
            beliefs = try SavedBeliefs.read(folder.appendingPathComponent(PortableBackup.beliefsFileName))
        } catch let error as BeliefCSV.Invalid {
            throw PortableBackup.Failure.invalidBeliefs(error)
        }
        let now = clock()
        let rules = alertRules
        defer { rules.invalidate() }
        do {
            return try store.database.write { [store] db in
                guard try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM user")! == 0, try SensorCatalog.sensorIDs(in: db).isEmpty else {
                    throw PortableBackup.Failure.databaseNotEmpty
                }
                // The roles a migration seeded give way to the saved ones (same names, perhaps other ids).
                try db.execute(sql: "DELETE FROM role")
                var rows = 0
                for table in PortableBackup.tables {
                    for (index, row) in (registry[table]?.arrayValue ?? []).enumerated() {
                        guard case let .object(columns) = row, !columns.isEmpty else { continue }
                        try PortableBackup.insert(columns, into: table, row: index, in: db)
                        rows += 1
                    }
                }
                // The beliefs name the sources the registry rows just made.
                _ = try Self.append(beliefs, from: .stated, duplicates: .refuse, to: store, rules: rules, now: now, in: db)
                return PortableBackup.Counts(registryRows: rows, beliefs: beliefs.count)
            }
        } catch let error as BeliefStoreError {
            throw PortableBackup.Failure.beliefsRefused(IngestError(error))
        }
    }
}

extension PortableBackup {
    static func insert(_ columns: [String: JSONValue], into table: String, row: Int, in db: Database) throws {
        let names = columns.keys.sorted()
        let quoted = names.map { "\"\($0.replacingOccurrences(of: "\"", with: ""))\"" }.joined(separator: ", ")
        do {
            try db.execute(
                sql: "INSERT INTO \(table) (\(quoted)) VALUES (\(databaseQuestionMarks(count: names.count)))",
                arguments: StatementArguments(names.map { databaseValue(columns[$0]!) })
            )
        } catch let error as DatabaseError {
            throw Failure.registryRowRefused(table: table, row: row, reason: error.message ?? error.description)
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
