import ArgumentParser
import Beliefs
import Registry

struct AddMarket: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "market",
        abstract: "Add a market whose prices assets can follow."
    )

    @Option(help: "A unique name.") var name: String
    @Option(name: .customLong("display-name"), help: "A name to show (default: --name).") var displayName: String?
    @Option(name: .customLong("market-type-name"), help: "The market type, e.g. day_ahead.") var marketTypeName: String = "day_ahead"
    @Option(help: "The unit of its prices.") var unit: String = "EUR/MWh"
    @Option(name: .customLong("event-resolution"), help: "Resolution of its prices in minutes.") var eventResolution: Int = 60
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let new = NewMarket(
            name: name, displayName: displayName, marketTypeName: marketTypeName, unit: unit,
            eventResolution: try resolution(minutes: eventResolution)
        )
        do {
            let market = try database.openRegistry().addMarket(new)
            print("Added market \(market.name).")
            printID(market.id)
        } catch let error as RegistryError {
            throw error.usageFailure(flags: Self.flags)
        }
    }

    static let flags = [
        "name": "--name", "display_name": "--display-name", "market_type": "--market-type-name",
        "unit": "--unit", "event_resolution": "--event-resolution",
    ]
}
