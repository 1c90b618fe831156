import ArgumentParser

/// `flexmeasures delete ...`: users and structure.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete users with their assets, or all structural data.",
        subcommands: [DeleteUser.self, DeleteStructure.self]
    )
}
