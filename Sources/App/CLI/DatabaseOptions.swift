import ArgumentParser
import Jobs
import Logging
import BeliefStore
import Registry
import Site
import SiteDatabase

/// The `--db` option every command takes, and the opening of the site database it names.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The SQLite database file (default: $FLEXMEASURES_DB, else ./var/flexmeasures.db).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp(
        "A TOML file of settings (default: $FLEXMEASURES_CONFIG, else /etc/flexmeasures/flexmeasures.toml or ~/.flexmeasures.toml).",
        valueName: "path"))
    var config: String?

    /// The effective settings; the file is read on every call (a broken file is a usage error), so a command
    /// that needs them more than once reads them once and passes them on.
    var settings: SiteSettings {
        get throws { try SiteSettings(configFlag: config) }
    }

    /// Opens the database, applying pending migrations (a new file is created and migrated).
    func open(policy: SiteDatabase.UpgradePolicy = .upgrade, settings known: SiteSettings? = nil) throws -> SiteDatabase {
        let path = try (known ?? settings).databasePath(flag: db)
        do {
            return try SiteDatabase(path: path, migrations: SiteSchema.migrations, policy: policy)
        } catch let error as SiteDatabaseError {
            throw CommandFailure(error.description)
        }
    }

    func openRegistry() throws -> Registry {
        let settings = try self.settings
        return Registry(database: try open(settings: settings), bcryptCost: try settings.bcryptCost())
    }

    /// The site over this database: what the CLI and the workers work with.
    /// Only what sends alert notices (the daemon, a delivery worker) asks for `delivering`: other commands
    /// neither set up the mail and webhook channels nor fail on their settings.
    func site(policy: SiteDatabase.UpgradePolicy = .upgrade, settings known: SiteSettings? = nil, delivering: Bool = false) throws -> Site {
        let settings = try known ?? self.settings
        return Site(
            database: try open(policy: policy, settings: settings), bcryptCost: try settings.bcryptCost(),
            settings: try settings.siteSettings(), alertDelivery: delivering ? try settings.alertDelivery() : nil
        )
    }

}
