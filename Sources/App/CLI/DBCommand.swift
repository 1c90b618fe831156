import ArgumentParser
import Site
import SiteDatabase

/// `flexmeasures db ...`: the schema of the database file, as Flask-Migrate's `flask db` names its commands.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Inspect, upgrade and downgrade the database schema.",
        discussion: """
            The appliance ships its migrations in the binary: `db upgrade` applies them (every other command \
            does too), `db downgrade` undoes them before an older release is installed.
            """,
        subcommands: [Upgrade.self, Downgrade.self, Current.self, History.self, Heads.self, Init.self, Migrate.self]
    )

    struct Upgrade: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply every pending migration, or those up to REVISION (creates the file if needed)."
        )

        @Argument(help: "A migration's identifier, or its start (0004). Default: the newest.") var revision: String?
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let site = try database.open(policy: .inspectOnly)
            let applied = try failingClearly { try site.upgrade(to: revision.map(site.revision(named:))) }
            if applied.isEmpty {
                print("Database \(site.path) is up to date (\(try site.appliedMigrations().last ?? "empty")).")
            } else {
                for migration in applied { print("Applied \(migration).") }
            }
        }
    }

    struct Downgrade: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Undo migrations down to REVISION (default: the previous one), in one transaction.",
            discussion: """
                Stop the daemon and any workers first. REVISION stays applied; `base` undoes every migration. \
                A step that would drop data the older schema cannot hold (rows of a table it drops) is refused, \
                and nothing changes, unless --force is given: keep a copy first (`db-ops dump FILE`). Run it with \
                the release that applied the migrations (the one installed), before installing the older \
                release: every other command of this release applies them again.
                """
        )

        @Argument(help: "A migration's identifier, or its start (0004), or base.") var revision: String?
        @Flag(help: "Drop the data the older schema cannot hold.") var force = false
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let site = try database.open(policy: .inspectOnly)
            let target = try failingClearly { try revision.map(site.revision(named:)) ?? site.previousRevision() }
            let done: SiteDatabase.Downgrade
            do {
                done = try site.downgrade(to: target, force: force)
            } catch let error as SiteDatabaseError {
                if case .downgradeWouldLoseData = error {
                    throw UsageFailure("\(error.description). Keep a copy (`flexmeasures db-ops dump FILE`), then add --force to drop it.")
                }
                throw UsageFailure(error.description)
            }
            guard !done.reverted.isEmpty else {
                print("Database \(site.path) is at \(target) already: nothing to downgrade.")
                return
            }
            let summaries = Dictionary(uniqueKeysWithValues: site.migrations.map { ($0.identifier, $0.summary) })
            for migration in done.reverted { print("Reverted \(migration): \(summaries[migration] ?? "")") }
            for loss in done.losses { print("Dropped \(loss).") }
            print("Database \(site.path) is at \(target) now.")
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

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List every migration this release knows, oldest first, and whether the database has it.",
            discussion: "Each line: the identifier, applied, current (the newest applied) or pending, and what it does."
        )

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let site = try database.open(policy: .inspectOnly)
            let applied = try site.appliedMigrations()
            let width = site.migrations.map(\.identifier.count).max() ?? 0
            for migration in site.migrations {
                let state = migration.identifier == applied.last ? "current"
                    : applied.contains(migration.identifier) ? "applied" : "pending"
                let padding = String(repeating: " ", count: width - migration.identifier.count)
                print("\(migration.identifier)\(padding)  \(state)  \(migration.summary)")
            }
        }
    }

    struct Heads: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the newest migration this release knows (no database is opened)."
        )

        func run() {
            print(SiteSchema.migrations.last?.identifier ?? "base")
        }
    }

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Not on the appliance: it ships its migrations; `db upgrade` creates and migrates the database."
        )

        func run() throws {
            throw CommandFailure("""
                the appliance ships its migrations inside the flexmeasures binary: there is no migration folder \
                to initialise. `flexmeasures db upgrade` creates the database and applies them; \
                `flexmeasures db history` lists them
                """)
        }
    }

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Not on the appliance: it ships its migrations; `db upgrade` applies them."
        )

        @Option(name: [.short, .long], help: "The message a new migration would carry (ignored).") var message: String?

        func run() throws {
            throw CommandFailure("""
                the appliance ships its migrations inside the flexmeasures binary, written with the code that \
                needs them: none are generated from a database. `flexmeasures db upgrade` applies them; \
                `flexmeasures db history` lists them
                """)
        }
    }
}

/// Runs `body`, turning the database's complaints about revisions into usage errors that say what to type instead.
private func failingClearly<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as SiteDatabaseError {
        throw UsageFailure(error.description)
    }
}
