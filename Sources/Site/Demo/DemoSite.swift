import Beliefs
import Registry

/// What `addDemoSite` is asked for: how many weeks of data up to now, and the demo account.
public struct DemoSiteRequest: Sendable {
    /// Weeks of data ending at the current quarter hour, 1 to `DemoSiteData.maximumWeeks`.
    public var weeks: Int
    public var email: String
    /// The demo account's password; nil makes one (the report holds it).
    public var password: String?

    public static let defaultEmail = "demo@flexmeasures.local"

    public init(weeks: Int = 4, email: String = DemoSiteRequest.defaultEmail, password: String? = nil) {
        self.weeks = weeks
        self.email = email
        self.password = password
    }
}

/// What `addDemoSite` made.
public struct DemoSiteReport: Sendable {
    /// The demo account (Prosumer), owner of the assets.
    public let user: User
    /// Its password, as given or as made.
    public let password: String
    public let passwordWasGenerated: Bool
    public let pv: Asset
    public let battery: Asset
    public let chargePoints: [Asset]
    public let building: Asset
    public let market: Market
    public let irradiance: WeatherSensor
    public let temperature: WeatherSensor
    /// The span of the measured data: `start` to the current quarter hour.
    public let start: Instant
    public let end: Instant
    /// Day-ahead prices are known until here (published the day before at 12:00 UTC).
    public let pricesEnd: Instant
    /// Beliefs stored per sensor id.
    public let beliefCounts: [SensorID: Int]
    /// The forecasting jobs queued (PV and building, each reference horizon).
    public let forecastingJobs: [Int64]
    /// The scheduling job of the battery's UDI event (nil only if the event was recorded without one).
    public let schedulingJob: Int64?

    public var assets: [Asset] { [pv, battery] + chargePoints + [building] }
    public var beliefs: Int { beliefCounts.values.reduce(0, +) }
}

/// Why no demo site was made.
public typealias DemoSiteError = SiteError<DemoSiteProblem>

public enum DemoSiteProblem: Sendable, Hashable {
    /// Weeks outside 1 to `DemoSiteData.maximumWeeks`.
    case weeks
    /// The database holds a demo site already (its assets, market or account).
    case exists
    /// The data shipped in the binary cannot be read (a build problem).
    case embeddedData
}

/// The demo site's layout: a charging hub on NREL's campus in Golden, Colorado, where the shipped PV data
/// was measured; the assets lie within about 200 m of its centre.
public enum DemoSiteLayout {
    public static let latitude = 39.7410
    public static let longitude = -105.1700
    public static let accountName = "demo"
    public static let marketName = "demo_day_ahead"
    public static let pvName = "demo-pv"
    public static let batteryName = "demo-battery"
    public static let buildingName = "demo-building"
    public static func chargePointName(_ number: Int) -> String { "demo-charge-point-\(number)" }
    public static let irradianceName = "demo-irradiance"
    public static let temperatureName = "demo-temperature"
    /// The source of the demo's measured and generated data.
    public static let sourceName = "flexmeasures add demo-site"

    public static let pvCapacityInMW = 0.15
    public static let batteryCapacityInMW = 0.1
    public static let batterySOCInMWh = 0.02...0.2
    public static let batteryEfficiency = 0.95
    public static let chargePointCapacityInMW = 0.022
    public static let buildingCapacityInMW = 0.1
    public static let chargePoints = 4

    /// Degrees from the centre per metre north and east (at 39.7° N).
    static func offset(north: Double, east: Double) -> (latitude: Double, longitude: Double) {
        (latitude + north / 111_000, longitude + east / 85_500)
    }
}
