import Beliefs

/// A market whose prices the site follows; its id is its sensor id.
public struct Market: Hashable, Sendable {
    public let id: SensorID
    public var name: String
    public var displayName: String
    public var marketTypeName: String
    public var unit: String
    public var eventResolution: Timespan
}

/// What it takes to add a market.
public struct NewMarket: Sendable {
    public var name: String
    public var displayName: String
    public var marketTypeName: String
    public var unit: String
    public var eventResolution: Timespan

    public init(name: String, displayName: String? = nil, marketTypeName: String, unit: String, eventResolution: Timespan) {
        self.name = name
        self.displayName = displayName ?? name
        self.marketTypeName = marketTypeName
        self.unit = unit
        self.eventResolution = eventResolution
    }
}
