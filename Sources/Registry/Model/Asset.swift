import Beliefs

/// A device at the site whose power is measured, forecast or scheduled: every field of the v2.0
/// asset resource. Its id is its sensor id.
public struct Asset: Hashable, Sendable {
    public let id: SensorID
    public var fields: AssetFields
}

/// The editable fields of an asset, as the CLI and the API both give them; `Registry` validates them.
public struct AssetFields: Hashable, Sendable {
    public var name: String
    public var displayName: String
    public var assetTypeName: String
    public var unit: String
    public var capacityInMW: Double
    public var minSOCInMWh: Double?
    public var maxSOCInMWh: Double?
    public var socInMWh: Double?
    public var socDatetime: Instant?
    public var socUDIEventID: Int64?
    public var eventResolution: Timespan
    public var latitude: Double
    public var longitude: Double
    public var ownerID: Int64
    public var marketID: SensorID?
    /// Storage only: the share of the power drawn that is stored, in (0, 1]; 1 (no loss) by default.
    public var chargingEfficiency: Double
    /// Storage only: the share of the energy released that reaches the grid, in (0, 1]; 1 by default.
    public var dischargingEfficiency: Double

    public init(
        name: String, displayName: String? = nil, assetTypeName: String, unit: String = "MW",
        capacityInMW: Double, minSOCInMWh: Double? = nil, maxSOCInMWh: Double? = nil,
        socInMWh: Double? = nil, socDatetime: Instant? = nil, socUDIEventID: Int64? = nil,
        eventResolution: Timespan, latitude: Double, longitude: Double, ownerID: Int64, marketID: SensorID? = nil,
        chargingEfficiency: Double = 1, dischargingEfficiency: Double = 1
    ) {
        self.name = name
        self.displayName = displayName ?? name
        self.assetTypeName = assetTypeName
        self.unit = unit
        self.capacityInMW = capacityInMW
        self.minSOCInMWh = minSOCInMWh
        self.maxSOCInMWh = maxSOCInMWh
        self.socInMWh = socInMWh
        self.socDatetime = socDatetime
        self.socUDIEventID = socUDIEventID
        self.eventResolution = eventResolution
        self.latitude = latitude
        self.longitude = longitude
        self.ownerID = ownerID
        self.marketID = marketID
        self.chargingEfficiency = chargingEfficiency
        self.dischargingEfficiency = dischargingEfficiency
    }
}
