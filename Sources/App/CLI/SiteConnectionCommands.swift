import ArgumentParser
import Registry

/// `flexmeasures set ...`: site-wide settings kept in the database.
struct SetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set site-wide settings kept in the database (the site connection).",
        subcommands: [SetSiteConnection.self]
    )
}

/// `flexmeasures set site-connection`: the grid connection every storage device is planned behind.
struct SetSiteConnection: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site-connection",
        abstract: "Set the site's grid connection: schedules then plan every battery and charge point together within it.",
        discussion: """
            With a site connection, a UDI event of one device re-plans every battery and charge point with a UDI \
            event together, so that their total power plus the inflexible load stays within the import and export \
            capacity in every slot. `flexmeasures delete site-connection` goes back to planning each device on its own.
            """
    )

    @Option(name: .customLong("import-capacity"), parsing: .unconditional, help: "The most the site may draw from the grid, MW (zero or more).")
    var importCapacity: Double
    @Option(name: .customLong("export-capacity"), parsing: .unconditional, help: "The most the site may feed into the grid, MW (zero or more).")
    var exportCapacity: Double
    @Option(name: .customLong("inflexible-asset"), help: "Id of the asset whose meter data or forecasts are the site's inflexible load.")
    var inflexibleAsset: Int64?
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let connection = GridConnection(
            importCapacityInMW: importCapacity, exportCapacityInMW: exportCapacity, inflexibleAssetID: inflexibleAsset
        )
        do {
            let saved = try database.openRegistry().setGridConnection(connection)
            print("Set the site connection.")
            print(SiteConnectionText.lines(saved))
        } catch let error as RegistryError {
            throw error.usageFailure(flags: [
                "import_capacity_mw": "--import-capacity", "export_capacity_mw": "--export-capacity",
                "inflexible_asset_id": "--inflexible-asset",
            ])
        }
    }
}

/// `flexmeasures show site-connection`.
struct ShowSiteConnection: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site-connection",
        abstract: "Show the site's grid connection, or that none is set (each device planned on its own)."
    )

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        guard let connection = try database.openRegistry().gridConnection() else {
            print("No site connection is set: each device is planned on its own.")
            return
        }
        print(SiteConnectionText.lines(connection))
    }
}

/// `flexmeasures delete site-connection`.
struct DeleteSiteConnection: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site-connection",
        abstract: "Remove the site's grid connection: each device is planned on its own again."
    )

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        if try database.openRegistry().deleteGridConnection() {
            print("Removed the site connection.")
        } else {
            print("No site connection was set.")
        }
    }
}

enum SiteConnectionText {
    static func lines(_ connection: GridConnection) -> String {
        """
        import_capacity_mw = \(connection.importCapacityInMW)
        export_capacity_mw = \(connection.exportCapacityInMW)
        inflexible_asset_id = \(connection.inflexibleAssetID.map(String.init) ?? "none")
        """
    }
}
