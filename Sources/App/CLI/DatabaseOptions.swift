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

    var settings: SiteSettings { SiteSettings() }

    var path: String { settings.databasePath(flag: db) }

    /// Opens the database, applying pending migrations (a new file is created and migrated).
    func open(policy: SiteDatabase.UpgradePolicy = .upgrade) throws -> SiteDatabase {
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
    func services(logger: Logger) throws -> APIServices {
        let site = try open()
        return APIServices(
            registry: Registry(database: site, bcryptCost: try settings.bcryptCost()), store: BeliefStore(database: site),
            jobs: JobQueue(database: site), settings: try settings.apiSettings(logger: logger)
        )
    }
}
