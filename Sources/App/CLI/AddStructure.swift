import ArgumentParser

struct AddStructure: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "structure",
        abstract: "Add the standard asset types, market type, weather sensor types and a default market.",
        discussion: """
            Asset types: solar, wind, battery, one-way_evse, two-way_evse, charging_station, building. \
            Weather sensor types: temperature, wind_speed, radiation. Market type: day_ahead, with the \
            market epex_da (EUR/MWh, hourly). Safe to run again: existing records are kept.
            """
    )

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let added = try database.openRegistry().addStructure()
        if added.isEmpty {
            print("Structure already complete; nothing added.")
        } else {
            for item in added { print("Added \(item).") }
        }
    }
}
