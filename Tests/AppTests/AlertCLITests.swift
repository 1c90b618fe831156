import Foundation
import Site
import SiteDatabase
import Testing
import TestSupport

/// `add alert-rule`, `add alert-silence`, `show alerts` and `delete alert-rule`, run as a process.
extension CLITests {
    func site() throws -> Site {
        Site(database: try SiteDatabase(path: file.path, migrations: SiteSchema.migrations), bcryptCost: 4, settings: Site.Settings())
    }

    func addedID(_ result: CommandRunner.Result) throws -> String {
        try #require(result.stdout.split(separator: "\n").last { $0.hasPrefix("ID: ") }.map { String($0.dropFirst(4)) }, "\(result.stdout) \(result.stderr)")
    }

    @Test func alertRulesAreAddedShownAndDeleted() throws {
        try prepareSite()
        let battery = try addedID(try cli.run(CLITests.batteryArguments))
        let rule = try cli.run([
            "add", "alert-rule", "--name", "battery hot", "--kind", "threshold_above", "--sensor-id", battery, "--value", "25",
            "--recovery", "20", "--for", "PT10M", "--severity", "critical",
        ])
        #expect(rule.exitCode == 0, "\(rule.stderr)")
        let ruleID = try addedID(rule)
        let defaults = try cli.run(["add", "alert-rule", "--defaults", "--asset-type", "battery"])
        #expect(defaults.exitCode == 0, "\(defaults.stderr)")
        #expect(try cli.run(["add", "alert-rule", "--defaults", "--asset-type", "battery"]).stdout.contains("there already"))
        let silence = try cli.run(["add", "alert-silence", "--matcher", "alertname=battery hot", "--duration", "PT2H", "--comment", "maintenance"])
        #expect(silence.exitCode == 0, "\(silence.stderr)")

        let shown = try cli.run(["show", "alerts"])
        #expect(shown.exitCode == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("\(ruleID)  battery hot  [threshold_above, critical] on sensor \(battery): above 25.0, recovering at 20.0, for PT10M, repeat PT4H"), "\(shown.stdout)")
        #expect(shown.stdout.contains("battery data gap  [gap, warning] on asset type battery: no new data for 3 resolutions"), "\(shown.stdout)")
        #expect(shown.stdout.contains("alertname=battery hot until"), "\(shown.stdout)")
        #expect(try site().alertRules(visibleTo: nil).count == 2)

        let deleted = try cli.run(["delete", "alert-rule", "--id", ruleID])
        #expect(deleted.exitCode == 0, "\(deleted.stderr)")
        #expect(try site().alertRules(visibleTo: nil).map(\.name) == ["battery data gap"])
        let again = try cli.run(["delete", "alert-rule", "--id", ruleID])
        #expect(again.exitCode == 2)
        #expect(again.stderr.contains("no alert rule with id \(ruleID)"), "\(again.stderr)")
    }

    @Test(arguments: [
        (["--name", "x", "--kind", "threshold_above"], "--value"),
        (["--name", "x", "--kind", "heat"], "--kind"),
        (["--name", "x", "--kind", "gap", "--sensor-id", "999"], "--sensor-id"),
        (["--name", "x", "--kind", "flat_line", "--duration", "forever"], "--duration"),
        (["--name", "x", "--kind", "idle_use", "--window", "1 to 5"], "--window"),
        (["--kind", "gap"], "--name"),
        (["--name", "x", "--kind", "gap", "--value", "nan"], "--value"),
        (["--name", "x", "--kind", "gap", "--repeat-interval", "PT0.000001S"], "--repeat-interval"),
    ])
    func badAlertRulesAreRefusedNamingTheFlag(arguments: [String], flag: String) throws {
        try prepareSite()
        let refused = try cli.run(["add", "alert-rule"] + arguments)
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains(flag), "\(refused.stderr)")
        #expect(try site().alertRules(visibleTo: nil).isEmpty)
    }

    @Test(arguments: [["add", "alert-rule", "--help"], ["add", "alert-silence", "--help"], ["show", "alerts", "--help"],
                      ["delete", "alert-rule", "--help"]])
    func theAlertCommandsExplainThemselves(arguments: [String]) throws {
        let result = try cli.run(arguments, withDatabase: false)
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("USAGE:"))
    }
}
