import ArgumentParser

/// `flexmeasures`: the appliance's one binary, for the daemon and for setting up a site.
public struct FlexMeasuresCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "flexmeasures",
        abstract: "An energy flexibility appliance: beliefs, forecasts, schedules and the USEF-style JSON API.",
        discussion: """
            Every command works on one SQLite database file: --db, else FLEXMEASURES_DB, else \
            ./var/flexmeasures.db. A new file is created and migrated on first use.

            Set up a site: `flexmeasures add structure`, `add user`, `add asset`; then `flexmeasures run`.
            """,
        version: SiteSettings.applianceVersion,
        subcommands: [RunCommand.self, AddCommand.self, ShowCommand.self, DeleteCommand.self, SetCommand.self, JobsCommand.self, DBCommand.self, DBOpsCommand.self, ConfigCommand.self, UplinkCommand.self],
        // The reference's getting started writes these two without `jobs`.
        groupedSubcommands: [CommandGroup(name: "Alias", subcommands: [RunWorkerAlias.self, ClearQueueAlias.self])]
    )

    public init() {}
}
