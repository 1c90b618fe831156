import ArgumentParser
import Beliefs

/// `flexmeasures add ...`: structure, users, assets, markets, weather sensors.
struct AddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add structural data (types, users, assets, markets, weather sensors) or import beliefs.",
        subcommands: [AddStructure.self, AddUser.self, AddAsset.self, AddMarket.self, AddWeatherSensor.self, AddBeliefs.self, AddForecasts.self, AddDemoSite.self, AddExternalWeatherForecasts.self, AddAlertRule.self, AddAlertSilence.self]
    )
}

/// Writes a new record's id the way every `add` command reports it.
func printID(_ id: Int64) {
    print("ID: \(id)")
}

/// Minutes from the command line as a resolution; bounded so that the conversion cannot overflow.
func resolution(minutes: Int, flag: String = "--event-resolution") throws -> Timespan {
    let largest = 366 * 24 * 60
    guard (0...largest).contains(minutes) else {
        throw UsageFailure("invalid value for \(flag): must be a whole number of minutes from 1 to \(largest), got \(minutes)")
    }
    return .minutes(Int64(minutes))
}
