import Foundation
import Registry
import Site
import SiteDatabase
import Testing
import TestSupport

/// `add asset --charging-efficiency/--discharging-efficiency` and `set/show/delete site-connection`, run as a process.
extension CLITests {
    @Test func addAssetTakesEfficiencies() throws {
        try prepareSite()
        let added = try cli.run(CLITests.batteryArguments + ["--charging-efficiency", "0.95", "--discharging-efficiency", "0.9"])
        #expect(added.exitCode == 0, "\(added.stderr)")
        let asset = try #require(try registry().asset(named: "basement battery"))
        #expect(asset.fields.chargingEfficiency == 0.95)
        #expect(asset.fields.dischargingEfficiency == 0.9)
    }

    @Test(arguments: ["0", "1.5", "-0.2", "nan"])
    func addAssetRefusesEfficienciesOutsideTheRange(value: String) throws {
        try prepareSite()
        let refused = try cli.run(CLITests.batteryArguments + ["--charging-efficiency", value])
        #expect(refused.exitCode == 2, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.contains("--charging-efficiency"), "\(refused.stderr)")
        #expect(try registry().asset(named: "basement battery") == nil)
    }

    @Test func theSiteConnectionIsSetShownAndDeleted() throws {
        try prepareSite()
        #expect(try cli.run(["show", "site-connection"]).stdout.contains("No site connection is set"))
        let battery = try cli.run(CLITests.batteryArguments)
        try #require(battery.exitCode == 0, "\(battery.stderr)")
        let batteryID = try #require(battery.stdout.split(separator: "\n").last { $0.hasPrefix("ID: ") }.map { String($0.dropFirst(4)) })
        let planned = try cli.run(["set", "site-connection", "--import-capacity", "2.5", "--export-capacity", "1", "--inflexible-asset", batteryID])
        #expect(planned.exitCode == 2 && planned.stderr.contains("which the scheduler plans"), "\(planned.stderr)")
        let building = try cli.run([
            "add", "asset", "--name", "offices", "--asset-type-name", "building", "--capacity-in-MW", "1", "--event-resolution", "15",
            "--latitude", "65", "--longitude", "123.76", "--owner-id", "1",
        ])
        try #require(building.exitCode == 0, "\(building.stderr)")
        let id = try #require(building.stdout.split(separator: "\n").last { $0.hasPrefix("ID: ") }.map { String($0.dropFirst(4)) })
        let set = try cli.run(["set", "site-connection", "--import-capacity", "2.5", "--export-capacity", "1", "--inflexible-asset", id])
        #expect(set.exitCode == 0, "\(set.stderr)")
        let shown = try cli.run(["show", "site-connection"]).stdout
        #expect(shown.contains("import_capacity_mw = 2.5"), "\(shown)")
        #expect(shown.contains("export_capacity_mw = 1.0"), "\(shown)")
        #expect(shown.contains("inflexible_asset_id = \(id)"), "\(shown)")
        #expect(try cli.run(["delete", "site-connection"]).stdout.contains("Removed the site connection."))
        #expect(try registry().gridConnection() == nil)
        #expect(try cli.run(["delete", "site-connection"]).stdout.contains("No site connection was set."))
    }

    @Test(arguments: [
        (["--import-capacity", "-1", "--export-capacity", "1"], "--import-capacity"),
        (["--import-capacity", "1", "--export-capacity", "inf"], "--export-capacity"),
        (["--import-capacity", "1", "--export-capacity", "1", "--inflexible-asset", "999"], "--inflexible-asset"),
    ])
    func invalidConnectionsAreRefusedNamingTheFlag(arguments: [String], flag: String) throws {
        try prepareSite()
        let refused = try cli.run(["set", "site-connection"] + arguments)
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains(flag), "\(refused.stderr)")
        #expect(try registry().gridConnection() == nil)
    }

    @Test(arguments: [["set", "--help"], ["set", "site-connection", "--help"], ["show", "site-connection", "--help"],
                      ["delete", "site-connection", "--help"]])
    func theNewCommandsExplainThemselves(arguments: [String]) throws {
        let result = try cli.run(arguments, withDatabase: false)
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("USAGE:"))
    }
}
