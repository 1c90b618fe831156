import API
import BeliefStore
import Beliefs
import Foundation
import GRDB
import Registry
import Testing
import TestSupport
import Site
import SiteDatabase

/// Every command of the CLI, run as a process against a temporary database.
@Suite struct CLITests {
    let file: TemporaryDatabase
    let cli: CommandRunner

    init() throws {
        file = try TemporaryDatabase()
        cli = CommandRunner(database: file.path)
    }

    func registry() throws -> Registry {
        Registry(database: try SiteDatabase(path: file.path, migrations: SiteSchema.migrations))
    }

    /// Structure, a Prosumer (id 1) and nothing else.
    func prepareSite() throws {
        try #require(cli.run(["add", "structure"]).exitCode == 0)
        let user = try cli.run(["add", "user", "--username", "owner", "--email", "owner@example.com",
                                "--roles", "Prosumer,MDC", "--password", "correct horse"])
        try #require(user.exitCode == 0, "\(user.stderr)")
    }

    static let batteryArguments = [
        "add", "asset", "--name", "basement battery", "--asset-type-name", "battery", "--capacity-in-MW", "30",
        "--event-resolution", "2", "--latitude", "65", "--longitude", "123.76", "--owner-id", "1",
        "--min-soc-in-MWh", "0", "--max-soc-in-MWh", "60",
    ]

    // MARK: help

    @Test(arguments: [
        ["--help"], ["run", "--help"], ["add", "--help"], ["add", "structure", "--help"], ["add", "user", "--help"],
        ["add", "asset", "--help"], ["add", "market", "--help"], ["add", "weather-sensor", "--help"],
        ["delete", "--help"], ["delete", "user", "--help"], ["delete", "structure", "--help"],
        ["delete", "measurements", "--help"], ["delete", "prognoses", "--help"], ["add", "beliefs", "--help"],
        ["show", "--help"], ["show", "beliefs", "--help"], ["jobs", "--help"], ["jobs", "run-worker", "--help"],
        ["jobs", "clear-queue", "--help"],
        ["db", "--help"], ["db", "upgrade", "--help"], ["db", "current", "--help"], ["db", "history", "--help"],
        ["db", "downgrade", "--help"], ["db", "heads", "--help"], ["db", "init", "--help"], ["db", "migrate", "--help"],
        ["run-worker", "--help"], ["clear-queue", "--help"], ["delete", "forecasts", "--help"], ["jobs", "run_worker", "--help"],
        ["add", "external-weather-forecasts", "--help"],
    ])
    func everyCommandExplainsItself(arguments: [String]) throws {
        let result = try cli.run(arguments, withDatabase: false)
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("USAGE:"))
        #expect(result.stdout.contains("OVERVIEW:"))
    }

    @Test func theAliasesAreListedAsSuch() throws {
        let root = try cli.run(["--help"], withDatabase: false).stdout
        #expect(root.contains("ALIAS SUBCOMMANDS:"))
        #expect(root.contains("Alias of `jobs run-worker`"))
        #expect(root.contains("Alias of `jobs clear-queue`"))
        #expect(try cli.run(["delete", "--help"], withDatabase: false).stdout.contains("prognoses, forecasts"))
        #expect(try cli.run(["jobs", "--help"], withDatabase: false).stdout.contains("run-worker, run_worker"))
    }

    @Test func clearQueueAndDeleteForecastsDoWhatTheirCommandsDo() throws {
        #expect(try cli.run(["clear-queue", "--queue", "forecasting"]).stdout == "Removed 0 queued job(s) from the forecasting queue.\n")
        #expect(try cli.run(["clear-queue", "--queue", "weather"]).exitCode == 2)
        #expect(try cli.run(["delete", "forecasts", "--force"]).stdout.contains("Deleted 0 prognoses of every sensor."))
    }

    @Test func unknownSubcommandIsAUsageError() throws {
        let result = try cli.run(["frobnicate"], withDatabase: false)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("frobnicate"))
    }

    // MARK: add structure

    @Test func addStructureIsIdempotent() throws {
        let first = try cli.run(["add", "structure"])
        #expect(first.exitCode == 0)
        #expect(first.stdout.contains("Added asset type battery."))
        #expect(first.stdout.contains("Added market epex_da"))
        let second = try cli.run(["add", "structure"])
        #expect(second.exitCode == 0)
        #expect(second.stdout.contains("nothing added"))
        #expect(try registry().assetTypes().count == 7)
    }

    // MARK: add user

    @Test func addUserPrintsItsIdAndHashesThePassword() throws {
        let result = try cli.run(["add", "user", "--username", "admin", "--email", "admin@example.com",
                                  "--roles", "admin", "--password", "s3cret-enough", "--timezone", "Europe/Amsterdam"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let id = try #require(result.printedID)
        let user = try #require(try registry().user(id: id))
        #expect(user.roles == [.admin])
        #expect(user.timezone == "Europe/Amsterdam")
        #expect(PasswordHasher.verify("s3cret-enough", against: user.passwordHash))
    }

    @Test func addUserReadsThePasswordFromStdinWhenNotGiven() throws {
        let result = try cli.run(["add", "user", "--username", "gw", "--email", "gw@example.com", "--roles", "MDC"],
                                 stdin: "piped password\n")
        #expect(result.exitCode == 0, "\(result.stderr)")
        let userID = try #require(result.printedID)
        let user = try #require(try registry().user(id: userID))
        #expect(PasswordHasher.verify("piped password", against: user.passwordHash))
    }

    @Test func addUserWithoutAnyPasswordFails() throws {
        let result = try cli.run(["add", "user", "--username", "gw", "--email", "gw@example.com"], stdin: "")
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("password"))
        #expect(try registry().users(includeInactive: true).isEmpty)
    }

    @Test func defaultTimezoneComesFromTheEnvironment() throws {
        var seoul = cli
        seoul.environment["FLEXMEASURES_TIMEZONE"] = "Asia/Seoul"
        let result = try seoul.run(["add", "user", "--username", "k", "--email", "k@example.com", "--password", "12345678"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let userID = try #require(result.printedID)
        #expect(try registry().user(id: userID)?.timezone == "Asia/Seoul")
    }

    struct BadUser: Sendable, CustomTestStringConvertible {
        let label: String
        let arguments: [String]
        let mentions: String
        var testDescription: String { label }
    }

    @Test(arguments: [
        BadUser(label: "unknown role", arguments: ["--roles", "Prosumer,CPO", "--email", "x@example.com"], mentions: "--roles"),
        BadUser(label: "bad email", arguments: ["--email", "not-an-email"], mentions: "--email"),
        BadUser(label: "short password", arguments: ["--email", "x@example.com", "--password", "short"], mentions: "--password"),
        BadUser(label: "bad timezone", arguments: ["--email", "x@example.com", "--timezone", "Mars/Base"], mentions: "--timezone"),
        BadUser(label: "duplicate email", arguments: ["--email", "owner@example.com"], mentions: "--email"),
        BadUser(label: "missing email", arguments: [], mentions: "--email"),
    ])
    func addUserRefusesBadValues(_ bad: BadUser) throws {
        try prepareSite()
        var arguments = ["add", "user", "--username", "newcomer"] + bad.arguments
        if !arguments.contains("--password") { arguments += ["--password", "long enough"] }
        let result = try cli.run(arguments)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains(bad.mentions), "\(result.stderr)")
        #expect(try registry().users(includeInactive: true).count == 1, "nothing written")
    }

    // MARK: add asset

    @Test func addAssetAsInTheQuickstart() throws {
        try prepareSite()
        let result = try cli.run(Self.batteryArguments)
        #expect(result.exitCode == 0, "\(result.stderr)")
        let assetID = try #require(result.printedID)
        let asset = try #require(try registry().asset(id: assetID))
        #expect(asset.fields.name == "basement battery")
        #expect(asset.fields.capacityInMW == 30)
        #expect(asset.fields.eventResolution == .minutes(2))
        #expect(asset.fields.maxSOCInMWh == 60)
        #expect(asset.fields.ownerID == 1)
    }

    struct BadAsset: Sendable, CustomTestStringConvertible {
        let label: String
        let flag: String
        let value: String
        let mentions: String
        var testDescription: String { label }
    }

    @Test(arguments: [
        BadAsset(label: "latitude out of range", flag: "--latitude", value: "91", mentions: "--latitude"),
        BadAsset(label: "longitude out of range", flag: "--longitude", value: "-180.5", mentions: "--longitude"),
        BadAsset(label: "negative capacity", flag: "--capacity-in-MW", value: "-1", mentions: "--capacity-in-MW"),
        BadAsset(label: "min SOC above max", flag: "--min-soc-in-MWh", value: "61", mentions: "--min-soc-in-MWh"),
        BadAsset(label: "unknown type", flag: "--asset-type-name", value: "nuclear", mentions: "--asset-type-name"),
        BadAsset(label: "unknown owner", flag: "--owner-id", value: "42", mentions: "--owner-id"),
        BadAsset(label: "unknown market", flag: "--market-id", value: "42", mentions: "--market-id"),
        BadAsset(label: "zero resolution", flag: "--event-resolution", value: "0", mentions: "--event-resolution"),
        BadAsset(label: "huge resolution", flag: "--event-resolution", value: "99999999999", mentions: "--event-resolution"),
        BadAsset(label: "not a number", flag: "--latitude", value: "north", mentions: "--latitude"),
    ])
    func addAssetRefusesBadValues(_ bad: BadAsset) throws {
        try prepareSite()
        var arguments = Self.batteryArguments
        if let index = arguments.firstIndex(of: bad.flag) {
            arguments[index + 1] = bad.value
        } else {
            arguments += [bad.flag, bad.value]
        }
        let result = try cli.run(arguments)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains(bad.mentions), "\(result.stderr)")
        #expect(try registry().assets().isEmpty, "nothing written")
    }

    @Test func addAssetNeedsAProsumerOwner() throws {
        try prepareSite()
        let admin = try cli.run(["add", "user", "--username", "root", "--email", "root@example.com", "--roles", "admin", "--password", "12345678"])
        var arguments = Self.batteryArguments
        arguments[arguments.firstIndex(of: "--owner-id")! + 1] = String(try #require(admin.printedID))
        let result = try cli.run(arguments)
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("Prosumer"))
    }

    @Test func addAssetWithAMissingRequiredFlagFails() throws {
        try prepareSite()
        let result = try cli.run(["add", "asset", "--name", "x", "--asset-type-name", "battery"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("--capacity-in-MW"))
    }

    @Test func duplicateAssetNamesAreRefused() throws {
        try prepareSite()
        #expect(try cli.run(Self.batteryArguments).exitCode == 0)
        let again = try cli.run(Self.batteryArguments)
        #expect(again.exitCode == 2)
        #expect(again.stderr.contains("already exists"))
    }

    // MARK: add market and weather sensor

    @Test func addMarketAsInTheNotes() throws {
        try prepareSite()
        let result = try cli.run(["add", "market", "--name", "kpx", "--market-type-name", "day_ahead",
                                  "--unit", "KRW/kWh", "--event-resolution", "60"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let marketID = try #require(result.printedID)
        let market = try #require(try registry().market(id: marketID))
        #expect(market.unit == "KRW/kWh")
        #expect(market.eventResolution == .hours(1))
    }

    @Test func addMarketRefusesAnUnknownType() throws {
        try prepareSite()
        let result = try cli.run(["add", "market", "--name", "x", "--market-type-name", "intraday"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("--market-type-name"))
        #expect(try registry().market(named: "x") == nil)
    }

    @Test func addWeatherSensorAsInTheQuickstart() throws {
        try prepareSite()
        let result = try cli.run(["add", "weather-sensor", "--name", "my rooftop thermometer",
                                  "--weather-sensor-type-name", "temperature", "--unit", "°C",
                                  "--event-resolution", "15", "--latitude", "33", "--longitude", "2.4"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        let sensorID = try #require(result.printedID)
        let sensor = try #require(try registry().weatherSensor(id: sensorID))
        #expect(sensor.unit == "°C")
        #expect(sensor.latitude == 33)
    }

    @Test func addWeatherSensorRefusesASecondOfTheSameTypeAtOnePlace() throws {
        try prepareSite()
        let arguments = ["add", "weather-sensor", "--weather-sensor-type-name", "wind_speed",
                         "--latitude", "33", "--longitude", "2.4"]
        #expect(try cli.run(arguments + ["--name", "a"]).exitCode == 0)
        let second = try cli.run(arguments + ["--name", "b"])
        #expect(second.exitCode == 2)
        #expect(second.stderr.contains("--latitude/--longitude"))
    }

    // MARK: delete

    @Test func deleteUserWithForceRemovesTheirAssets() throws {
        try prepareSite()
        let asset = try #require(try cli.run(Self.batteryArguments).printedID)
        let result = try cli.run(["delete", "user", "--email", "owner@example.com", "--force"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("1 asset(s)"))
        #expect(try registry().user(id: 1) == nil)
        #expect(try registry().asset(id: asset) == nil)
    }

    @Test func deleteUserAsksAndDoesNothingWithoutYes() throws {
        try prepareSite()
        let refused = try cli.run(["delete", "user", "--id", "1"], stdin: "n\n")
        #expect(refused.exitCode == 2)
        #expect(try registry().user(id: 1) != nil)
        let confirmed = try cli.run(["delete", "user", "--id", "1"], stdin: "y\n")
        #expect(confirmed.exitCode == 0, "\(confirmed.stderr)")
        #expect(try registry().user(id: 1) == nil)
    }

    @Test func deleteUserNeedsExactlyOneWayToNameTheUser() throws {
        try prepareSite()
        #expect(try cli.run(["delete", "user", "--force"]).exitCode == 2)
        #expect(try cli.run(["delete", "user", "--id", "1", "--email", "owner@example.com", "--force"]).exitCode == 2)
        let unknown = try cli.run(["delete", "user", "--email", "nobody@example.com", "--force"])
        #expect(unknown.exitCode == 2)
        #expect(unknown.stderr.contains("nobody@example.com"))
    }

    @Test func deleteStructureEmptiesTheRegistry() throws {
        try prepareSite()
        _ = try cli.run(Self.batteryArguments)
        #expect(try cli.run(["delete", "structure"], stdin: "no\n").exitCode == 2)
        #expect(try registry().assets().count == 1)
        let result = try cli.run(["delete", "structure", "--force"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(try registry().assets().isEmpty)
        #expect(try registry().users(includeInactive: true).isEmpty)
        #expect(try registry().assetTypes().isEmpty)
    }

    // MARK: delete measurements and prognoses

    /// An asset with 200 measurements and 200 forecasts; returns its id.
    func assetWithBeliefs() throws -> Int64 {
        try prepareSite()
        let assetID = try #require(try cli.run(Self.batteryArguments).printedID)
        let site = try SiteDatabase(path: file.path, migrations: SiteSchema.migrations)
        let source = try site.pool.write { db in try SensorCatalog.userSource(userID: 1, name: "owner", in: db).id }
        let origin = Instant(secondsSinceEpoch: 1_609_459_200)
        let resolution = Timespan.minutes(2)
        let beliefs = (0..<200).flatMap { slot -> [Belief] in
            let start = origin + resolution * Int64(slot)
            return [
                Belief(sensorID: assetID, eventStart: start, beliefTime: start + resolution, sourceID: source, value: 1),
                Belief(sensorID: assetID, eventStart: start, beliefTime: origin - .hours(1), sourceID: source, value: 2),
            ]
        }
        try BeliefStore(database: site).appendNow(beliefs)
        return assetID
    }

    func storedBeliefs(_ sensor: Int64) throws -> [Belief] {
        let store = BeliefStore(database: try SiteDatabase(path: file.path, migrations: SiteSchema.migrations))
        let origin = Instant(secondsSinceEpoch: 1_609_459_200)
        return try store.beliefs(sensorID: sensor, from: origin - .days(1), to: origin + .days(1))
    }

    @Test func deleteMeasurementsKeepsPrognoses() throws {
        let asset = try assetWithBeliefs()
        let result = try cli.run(["delete", "measurements", "--sensor-id", String(asset), "--force"])
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Deleted 200 measurements"))
        #expect(try storedBeliefs(asset).map(\.value) == Array(repeating: 2, count: 200))
    }

    @Test func deletePrognosesOfEverySensorKeepsMeasurements() throws {
        let asset = try assetWithBeliefs()
        let result = try cli.run(["delete", "prognoses"], stdin: "y\n")
        #expect(result.exitCode == 0, "\(result.stderr)")
        #expect(try storedBeliefs(asset).map(\.value) == Array(repeating: 1, count: 200))
    }

    @Test func deleteBeliefsOfAnUnknownSensorFailsAndDeletesNothing() throws {
        let asset = try assetWithBeliefs()
        let result = try cli.run(["delete", "measurements", "--sensor-id", String(asset), "--sensor-id", "999", "--force"])
        #expect(result.exitCode == 2)
        #expect(result.stderr.contains("999"))
        #expect(try storedBeliefs(asset).count == 400)
    }

    @Test func deleteUserRemovesTheirAssetsBeliefs() throws {
        let asset = try assetWithBeliefs()
        #expect(try cli.run(["delete", "user", "--id", "1", "--force"]).exitCode == 0)
        let site = try SiteDatabase(path: file.path, migrations: SiteSchema.migrations)
        let left = try site.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM belief_segment WHERE sensor_id = ?", arguments: [asset]) }
        #expect(left == 0)
    }

    // MARK: add and show beliefs

    func writeFile(_ name: String, _ text: String) throws -> String {
        let path = file.directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func importedBeliefsAreExportedAgain() throws {
        try prepareSite()
        let csv = try writeFile("prices.csv", "event_start,value\n2021-01-01T00:00:00Z,52.37\n2021-01-01T02:00:00+01:00,51.14\n2021-01-01T02:00:00Z,49.09\n")
        let added = try cli.run(["add", "beliefs", "--sensor-id", "1", "--file", csv, "--horizon", "-PT5M"])
        #expect(added.exitCode == 0, "\(added.stderr)")
        #expect(added.stdout.contains("Imported 3 beliefs"))
        let shown = try cli.run(["show", "beliefs", "--sensor-id", "1", "--start", "2021-01-01T00:00:00Z", "--duration", "P1D"])
        let lines = shown.stdout.split(separator: "\n")
        #expect(lines.first == "event_start,belief_time,source_id,cumulative_probability,value")
        #expect(lines.dropFirst().map { $0.split(separator: ",").last.map(String.init) } == ["52.37", "51.14", "49.09"])
        #expect(lines[1].hasPrefix("2021-01-01T00:00:00Z,2021-01-01T01:05:00Z,"), "horizon -PT5M: known 5 minutes after each hour")
        // Exported rows import again as they were (with their own belief times).
        let exported = try writeFile("export.csv", "event_start,belief_time,value\n" + lines.dropFirst().map { line in
            let fields = line.split(separator: ",")
            return "\(fields[0]),\(fields[1]),\(fields[4])"
        }.joined(separator: "\n"))
        let again = try cli.run(["add", "beliefs", "--sensor-id", "1", "--file", exported])
        #expect(again.exitCode == 2, "the same beliefs twice: \(again.stderr)")
        #expect(again.stderr.contains("stored already"))
        let json = try cli.run(["show", "beliefs", "--sensor-id", "1", "--start", "2021-01-01T00:00:00Z", "--duration", "P1D", "--format", "json"])
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(parsed?.count == 3)
    }

    @Test func badRowsAreReportedWithLineNumbersAndNothingIsImported() throws {
        try prepareSite()
        let csv = try writeFile("bad.csv", "event_start,value\n2021-01-01T00:00:00Z,1\n2021-01-01T01:00:00Z,x\n2021-01-01T02:00:00,2\n2021-01-01T03:00:00Z\n")
        let result = try cli.run(["add", "beliefs", "--sensor-id", "1", "--file", csv])
        #expect(result.exitCode == 2)
        for line in ["line 3", "line 4", "line 5"] { #expect(result.stderr.contains(line), "\(result.stderr)") }
        #expect(!result.stderr.contains("line 2"))
        let shown = try cli.run(["show", "beliefs", "--sensor-id", "1", "--start", "2021-01-01T00:00:00Z", "--duration", "P1D"])
        #expect(shown.stdout.split(separator: "\n").count == 1, "only the header: nothing imported")
        let offGrid = try writeFile("grid.csv", "event_start,value\n2021-01-01T00:15:00Z,1\n")
        #expect(try cli.run(["add", "beliefs", "--sensor-id", "1", "--file", offGrid]).stderr.contains("grid"))
        #expect(try cli.run(["add", "beliefs", "--sensor-id", "99", "--file", csv]).exitCode == 2)
    }

    // MARK: db

    @Test func dbUpgradeThenCurrent() throws {
        let upgrade = try cli.run(["db", "upgrade"])
        #expect(upgrade.exitCode == 0, "\(upgrade.stderr)")
        for migration in SiteSchema.migrations {
            #expect(upgrade.stdout.contains("Applied \(migration.identifier)."))
        }
        let again = try cli.run(["db", "upgrade"])
        #expect(again.stdout.contains("up to date"))
        let current = try cli.run(["db", "current"])
        #expect(current.exitCode == 0)
        #expect(current.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == SiteSchema.migrations.last?.identifier)
    }

    @Test func dbCurrentShowsPendingMigrationsWithoutApplyingThem() throws {
        _ = try SiteDatabase(path: file.path, migrations: BeliefStoreSchema.all)
        let current = try cli.run(["db", "current"])
        #expect(current.stdout.contains("pending: 0002_registry"))
        let site = try SiteDatabase(path: file.path, migrations: SiteSchema.migrations, policy: .inspectOnly)
        let expected = SiteSchema.migrations.map(\.identifier).filter { id in !BeliefStoreSchema.all.contains { $0.identifier == id } }
        #expect(try site.pendingMigrations() == expected)
        #expect(expected.contains("0002_registry"))
    }

    @Test func aNewerDatabaseIsRefusedByEveryCommand() throws {
        let future = SchemaMigration.creatingTables("9999_from_the_future", summary: "A table from the future.", tables: ["f"]) { db in try db.execute(sql: "CREATE TABLE f (x)") }
        _ = try SiteDatabase(path: file.path, migrations: SiteSchema.migrations + [future])
        for arguments in [["db", "current"], ["db", "upgrade"], ["add", "structure"], ["run", "--bind", "127.0.0.1:0"]] {
            let result = try cli.run(arguments)
            #expect(result.exitCode == 1, "\(arguments)")
            #expect(result.stderr.contains("newer schema"), "\(arguments): \(result.stderr)")
        }
    }

    @Test func theDatabaseComesFromTheEnvironmentWithoutDB() throws {
        var fromEnvironment = cli
        fromEnvironment.environment["FLEXMEASURES_DB"] = file.path
        #expect(try fromEnvironment.run(["add", "structure"], withDatabase: false).exitCode == 0)
        #expect(try registry().assetTypes().count == 7)
    }
}
