import ArgumentParser
import BeliefStore

/// `flexmeasures db ...`: the schema of the database file.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Inspect and upgrade the database schema.",
        subcommands: [Upgrade.self, Current.self]
    )

    struct Upgrade: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply every pending migration (creates the file if needed)."
        )

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let site = try database.open(policy: .inspectOnly)
            let applied = try site.upgrade()
            if applied.isEmpty {
                print("Database \(site.path) is up to date (\(try site.appliedMigrations().last ?? "empty")).")
            } else {
                for migration in applied { print("Applied \(migration).") }
            }
        }
    }

    struct Current: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the newest migration applied to the database, and any pending ones."
        )

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let site = try database.open(policy: .inspectOnly)
            print(try site.appliedMigrations().last ?? "(no migrations applied)")
            for migration in try site.pendingMigrations() { print("pending: \(migration)") }
        }
    }
}
