import API
import ArgumentParser
import Jobs
import Logging
import BeliefStore
import Registry

/// The `--db` option every command takes, and the opening of the site database it names.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The SQLite database file (default: $FLEXMEASURES_DB, else ./var/flexmeasures.db).", valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp(
        "A TOML file of settings (default: $FLEXMEASURES_CONFIG, else /etc/flexmeasures/flexmeasures.toml or ~/.flexmeasures.toml).",
        valueName: "path"))
    var config: String?

    /// The effective settings; the file is read when asked for (a broken file is a usage error).
    var settings: SiteSettings {
        get throws { try SiteSettings(configFlag: config) }
    }

    var path: String {
        get throws { try settings.databasePath(flag: db) }
    }

    /// Opens the database, applying pending migrations (a new file is created and migrated).
    func open(policy: SiteDatabase.UpgradePolicy = .upgrade) throws -> SiteDatabase {
        let path = try self.path
        do {
            return try SiteDatabase(path: path, migrations: SiteSchema.migrations, policy: policy)
        } catch let error as SiteDatabaseError {
            throw CommandFailure(error.description)
        }
    }

    func openRegistry() throws -> Registry {
        Registry(database: try open(), bcryptCost: try settings.bcryptCost())
    }

    /// Everything the API and the workers work with, over this database.
    func services() throws -> APIServices {
        let site = try open()
        return APIServices(
            registry: Registry(database: site, bcryptCost: try settings.bcryptCost()), store: BeliefStore(database: site),
            jobs: JobQueue(database: site), settings: try settings.apiSettings(logger: nil)
        )
    }
}
