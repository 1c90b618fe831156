import ArgumentParser

/// `flexmeasures add external-weather-forecasts`: understood, and answered with the ways weather gets in instead.
///
/// The reference collects forecasts from the DarkSky API, which hands out no keys any more (its getting started,
/// 1.2.3, says so); the appliance calls no weather service itself.
struct AddExternalWeatherForecasts: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "external-weather-forecasts",
        abstract: "Not on the appliance (DarkSky is gone): post weather to the API or import it with `add beliefs`."
    )

    @Option(help: ArgumentHelp("Where the reference would collect forecasts for.", valueName: "latitude,longitude"))
    var location: String?
    @Flag(name: .customLong("store-in-db"), help: "Where the reference would store them (ignored).") var storeInDB = false

    func run() throws {
        throw CommandFailure("""
            the appliance collects no weather forecasts itself: the reference's source, the DarkSky API, hands out \
            no keys any more. Post them to /api/v2_0/postWeatherData from the site's weather service, or import a \
            CSV with `flexmeasures add beliefs --sensor-id N --file FILE` (the weather sensor's id)
            """)
    }
}
