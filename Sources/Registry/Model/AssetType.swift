/// A kind of asset and what it can do; the sign checks of the API follow `isConsumer`/`isProducer`.
public struct AssetType: Hashable, Sendable {
    public let name: String
    public let displayName: String
    public let isConsumer: Bool
    public let isProducer: Bool
    public let canCurtail: Bool
    public let canShift: Bool

    public init(name: String, displayName: String, isConsumer: Bool, isProducer: Bool, canCurtail: Bool, canShift: Bool) {
        self.name = name
        self.displayName = displayName
        self.isConsumer = isConsumer
        self.isProducer = isProducer
        self.canCurtail = canCurtail
        self.canShift = canShift
    }

    /// A pure producer never consumes (solar, wind): positive power is a mistake.
    public var isPureProducer: Bool { isProducer && !isConsumer }
    /// A pure consumer never produces (one-way EVSE, building): negative power is a mistake.
    public var isPureConsumer: Bool { isConsumer && !isProducer }

    /// The asset types that store energy, batteries and charge points: they take UDI events, the scheduler
    /// plans them, and none of them can be the site's inflexible load.
    public static let storageTypeNames: Set<String> = ["battery", "one-way_evse", "two-way_evse", "charging_station"]
}

/// A kind of market (day-ahead, ...).
public struct MarketType: Hashable, Sendable {
    public let name: String
    public let displayName: String
}

/// A kind of weather sensor and the unit its values must come in.
public struct WeatherSensorType: Hashable, Sendable {
    public let name: String
    public let displayName: String
    public let unit: String
}
