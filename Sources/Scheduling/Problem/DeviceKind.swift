/// What kind of storage a device is; it decides the device's power range and, for charging stations,
/// its state-of-charge range (reference 7.2.1). Raw values are FlexMeasures' asset type names.
public enum DeviceKind: String, Sendable, Hashable, CaseIterable {
    /// A stationary battery: charges and discharges up to its capacity, SOC within the asset's min and max.
    case battery
    /// A charging station that only charges: its power is never negative.
    case oneWayEVSE = "one-way_evse"
    /// A charging station that can also feed the car's energy back (vehicle-to-grid).
    case twoWayEVSE = "two-way_evse"

    /// Charging stations take their SOC range from the car's targets, not from the asset.
    public var isChargingStation: Bool { self != .battery }
}
