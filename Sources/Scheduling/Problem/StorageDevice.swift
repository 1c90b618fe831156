/// One device to schedule, a battery or a charging station, with its state of charge and its limits.
///
/// Power is in MW at the grid side (consumption positive), energy in MWh. Efficiencies default to 1,
/// which is the reference's behaviour: every MWh drawn is stored and every MWh released is delivered.
public struct StorageDevice: Sendable, Hashable {
    /// A label for error messages; may be empty.
    public var name: String
    /// Battery or charging station; see `DeviceKind`.
    public var kind: DeviceKind
    /// MWh at the start of the first slot; the reference assumes 0 when it is unknown.
    public var socAtStart: Double
    /// Batteries only: the lowest SOC at the end of any slot, MWh. Charging stations use 0 instead.
    public var minSOC: Double
    /// Batteries only: the highest SOC, MWh, nil for none. Charging stations use the higher of their
    /// highest target and their SOC at start instead.
    public var maxSOC: Double?
    /// The most power the device can draw, MW; batteries and two-way EVSEs can also feed in as much.
    public var capacity: Double
    /// States of charge to meet exactly, at the end of their slots.
    public var targets: [SOCTarget]
    /// The share of the power drawn that ends up stored, in (0, 1].
    public var chargingEfficiency: Double
    /// The share of the energy taken out of storage that reaches the grid, in (0, 1].
    public var dischargingEfficiency: Double

    /// A device with the reference's defaults: empty at start, no losses, no targets.
    public init(
        name: String = "", kind: DeviceKind, socAtStart: Double = 0, minSOC: Double = 0, maxSOC: Double? = nil,
        capacity: Double, targets: [SOCTarget] = [], chargingEfficiency: Double = 1, dischargingEfficiency: Double = 1
    ) {
        self.name = name
        self.kind = kind
        self.socAtStart = socAtStart
        self.minSOC = minSOC
        self.maxSOC = maxSOC
        self.capacity = capacity
        self.targets = targets
        self.chargingEfficiency = chargingEfficiency
        self.dischargingEfficiency = dischargingEfficiency
    }

    /// The lowest SOC the scheduler enforces, MWh.
    public var effectiveMinSOC: Double {
        kind.isChargingStation ? 0 : minSOC
    }

    /// The highest SOC the scheduler enforces, MWh, nil for none.
    ///
    /// For charging stations this is the bound the reference meant (its 0.2.4 code lost it): the car
    /// never holds more than its highest target, unless it arrived with more.
    public var effectiveMaxSOC: Double? {
        guard kind.isChargingStation else { return maxSOC }
        return targets.reduce(socAtStart) { Swift.max($0, $1.soc) }
    }

    /// The lowest power, MW (zero or negative).
    var lowestPower: Double { kind == .oneWayEVSE ? 0 : -capacity }

    /// The highest power, MW.
    var highestPower: Double { capacity }

    /// Losses need separate charge and discharge power, since each direction loses differently.
    var hasLosses: Bool { chargingEfficiency != 1 || dischargingEfficiency != 1 }
}
