import ArgumentParser
import Registry

struct DeleteStructure: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "structure",
        abstract: "Delete all structural data: assets, markets, weather sensors, their types, users, data sources.",
        discussion: "The beliefs of every deleted sensor go too. Roles stay. Run `add structure` to start again."
    )

    @Flag(help: "Do not ask for confirmation.") var force = false
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let registry = try database.openRegistry()
        if !force && !Terminal.confirm("Delete all assets, markets, weather sensors, users and their data?") {
            throw UsageFailure("not confirmed; nothing was deleted (use --force to skip the question)")
        }
        try registry.deleteStructure()
        print("Deleted all structural data.")
    }
}
