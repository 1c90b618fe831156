import ArgumentParser
import Beliefs
import Registry

struct AddWeatherSensor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weather-sensor",
        abstract: "Add a weather sensor: at most one of each type per location."
    )

    @Option(help: "A unique name.") var name: String
    @Option(name: .customLong("display-name"), help: "A name to show (default: --name).") var displayName: String?
    @Option(name: .customLong("weather-sensor-type-name"), help: "temperature, wind_speed or radiation.")
    var weatherSensorTypeName: String
    @Option(help: "The unit of its values (default: the type's, °C, m/s or kW/m²).") var unit: String?
    @Option(name: .customLong("event-resolution"), help: "Resolution of its data in minutes.") var eventResolution: Int = 5
    @Option(parsing: .unconditional, help: "Latitude, -90 to 90.") var latitude: Double
    @Option(parsing: .unconditional, help: "Longitude, -180 to 180.") var longitude: Double
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let new = NewWeatherSensor(
            name: name, displayName: displayName, weatherSensorTypeName: weatherSensorTypeName, unit: unit,
            eventResolution: try resolution(minutes: eventResolution), latitude: latitude, longitude: longitude
        )
        do {
            let sensor = try database.openRegistry().addWeatherSensor(new)
            print("Added weather sensor \(sensor.name).")
            printID(sensor.id)
        } catch let error as RegistryError {
            throw error.usageFailure(flags: Self.flags)
        }
    }

    static let flags = [
        "name": "--name", "display_name": "--display-name", "weather_sensor_type": "--weather-sensor-type-name",
        "unit": "--unit", "event_resolution": "--event-resolution", "latitude": "--latitude",
        "longitude": "--longitude", "location": "--latitude/--longitude",
    ]
}
