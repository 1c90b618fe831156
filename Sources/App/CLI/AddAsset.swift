import ArgumentParser
import Beliefs
import Registry

struct AddAsset: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asset",
        abstract: "Add an asset (a battery, a charge point, solar panels, a building, ...).",
        discussion: "The owner needs the Prosumer role. Asset types come from `flexmeasures add structure`."
    )

    @Option(help: "A unique name.") var name: String
    @Option(name: .customLong("display-name"), help: "A name to show (default: --name).") var displayName: String?
    @Option(name: .customLong("asset-type-name"), help: "battery, solar, wind, one-way_evse, two-way_evse, building, ...")
    var assetTypeName: String
    @Option(help: "The unit of its power values.") var unit: String = "MW"
    @Option(name: [.customLong("capacity-in-MW"), .customLong("capacity-in-mw")], help: "Power capacity in MW (zero or more).")
    var capacityInMW: Double
    @Option(name: [.customLong("min-soc-in-MWh"), .customLong("min-soc-in-mwh")], help: "Lowest state of charge in MWh (storage).")
    var minSOCInMWh: Double?
    @Option(name: [.customLong("max-soc-in-MWh"), .customLong("max-soc-in-mwh")], help: "Highest state of charge in MWh (storage).")
    var maxSOCInMWh: Double?
    @Option(name: .customLong("event-resolution"), help: "Resolution of its data in minutes.") var eventResolution: Int = 15
    @Option(parsing: .unconditional, help: "Latitude, -90 to 90.") var latitude: Double
    @Option(parsing: .unconditional, help: "Longitude, -180 to 180.") var longitude: Double
    @Option(name: .customLong("owner-id"), help: "Id of the owning user (needs the Prosumer role).") var ownerID: Int64
    @Option(name: .customLong("market-id"), help: "Id of the market whose prices it follows.") var marketID: Int64?
    @Option(name: .customLong("charging-efficiency"), parsing: .unconditional, help: "Storage: the share of the power drawn that is stored, above 0 and at most 1.")
    var chargingEfficiency: Double = 1
    @Option(name: .customLong("discharging-efficiency"), parsing: .unconditional, help: "Storage: the share of the energy released that reaches the grid, above 0 and at most 1.")
    var dischargingEfficiency: Double = 1
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let fields = AssetFields(
            name: name, displayName: displayName, assetTypeName: assetTypeName, unit: unit,
            capacityInMW: capacityInMW, minSOCInMWh: minSOCInMWh, maxSOCInMWh: maxSOCInMWh,
            eventResolution: try resolution(minutes: eventResolution), latitude: latitude, longitude: longitude,
            ownerID: ownerID, marketID: marketID,
            chargingEfficiency: chargingEfficiency, dischargingEfficiency: dischargingEfficiency
        )
        do {
            let asset = try database.openRegistry().addAsset(fields)
            print("Added asset \(asset.fields.name).")
            printID(asset.id)
        } catch let error as RegistryError {
            throw error.usageFailure(flags: Self.flags)
        }
    }

    static let flags = [
        "name": "--name", "display_name": "--display-name", "asset_type": "--asset-type-name", "unit": "--unit",
        "capacity_in_mw": "--capacity-in-MW", "min_soc_in_mwh": "--min-soc-in-MWh", "max_soc_in_mwh": "--max-soc-in-MWh",
        "event_resolution": "--event-resolution", "latitude": "--latitude", "longitude": "--longitude",
        "owner": "--owner-id", "market": "--market-id",
        "charging_efficiency": "--charging-efficiency", "discharging_efficiency": "--discharging-efficiency",
    ]
}
