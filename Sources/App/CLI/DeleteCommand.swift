import ArgumentParser

/// `flexmeasures delete ...`: users and structure.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete users with their assets, structural data, measurements or prognoses.",
        subcommands: [DeleteUser.self, DeleteStructure.self, DeleteMeasurements.self, DeletePrognoses.self, DeleteSiteConnection.self, DeleteAlertRule.self]
    )
}
