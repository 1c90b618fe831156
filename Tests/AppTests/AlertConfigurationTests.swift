import Foundation
import Site
import SiteDatabase
import Testing
import TestSupport

/// `[[alert_rule]]` tables of the configuration file, applied by the daemon at its start.
@Suite(.serialized) struct AlertConfigurationTests {
    func configuredRules(_ file: TemporaryDatabase) throws -> [String] {
        let site = Site(database: try SiteDatabase(path: file.path, migrations: SiteSchema.migrations), bcryptCost: 4, settings: Site.Settings())
        return try site.alertRules(visibleTo: nil).filter { $0.createdBy == Site.configuredRulesAuthor }
            .map { "\($0.name) \($0.kind.rawValue) \($0.conditionText)" }.sorted()
    }

    @Test func theDaemonAppliesTheFilesRulesAtItsStartAndRefusesABadOne() throws {
        let file = try TemporaryDatabase()
        let config = file.directory.appendingPathComponent("flexmeasures.toml").path
        try """
            SECRET_KEY = "a-long-random-key"

            [[alert_rule]]
            name = "batteries silent"   # a gap of three resolutions
            kind = "gap"
            asset_type = "battery"
            resolutions = 3

            [[alert_rule]]
            name = "failed forecasts"
            kind = "job_failed"
            queue = "forecasting"
            severity = "critical"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        var runner = CommandRunner(database: file.path)
        runner.environment["FLEXMEASURES_CONFIG"] = config
        #expect(try runner.run(["add", "structure"]).exitCode == 0)
        var daemon = try RunningDaemon(runner: runner)
        #expect(daemon.stop() == 0)
        #expect(try configuredRules(file) == [
            "batteries silent gap no new data for 3 resolutions", "failed forecasts job_failed a forecasting job failed in the last PT1H",
        ])

        try """
            SECRET_KEY = "a-long-random-key"
            [[alert_rule]]
            name = "batteries silent"
            kind = "gap"
            asset_type = "battery"
            duration = "PT1H"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        daemon = try RunningDaemon(runner: runner)
        #expect(daemon.stop() == 0)
        #expect(try configuredRules(file) == ["batteries silent gap no new data for PT1H"])

        try """
            SECRET_KEY = "a-long-random-key"
            [[alert_rule]]
            name = "batteries silent"
            kind = "gap"

            [[alert_rule]]
            name = "hot"
            kind = "threshold_above"
            value = "very"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let refused = try runner.run(["run", "--bind", "127.0.0.1:0"])
        #expect(refused.exitCode == 2)
        #expect(refused.stderr.contains("line 6"), "\(refused.stderr)")
        #expect(refused.stderr.contains("value"), "\(refused.stderr)")
        #expect(try configuredRules(file) == ["batteries silent gap no new data for PT1H"], "nothing changed")
    }
}
