/// Everything the scheduler needs: equal time slots, a price per slot, and the devices to plan.
///
/// Slot `j` covers `[start + j x slotHours, start + (j + 1) x slotHours)`; the problem knows no clock
/// times, the caller maps targets to slots.
public struct SchedulingProblem: Sendable, Hashable {
    /// The length of every slot, hours (0.25 for quarter-hours).
    public var slotHours: Double
    /// EUR/MWh per slot; their count is the number of slots.
    public var prices: [Double]
    /// The devices, each planned against the same prices.
    public var devices: [StorageDevice]
    /// Limits on the devices' total power; nil plans each device on its own (the reference's behaviour).
    public var siteConnection: SiteConnection?
    /// Adds the reference's tiny rising price slope so that, among equal prices, charging happens
    /// sooner and discharging later (reference 7.2.1).
    public var preferChargingSooner: Bool
    /// How long GLPK's branch and bound may search when losses call for the mixed-integer program;
    /// at the limit the best plan found is used (see `Schedule.Solution`). Whole milliseconds, at
    /// least one.
    public var mixedIntegerTimeLimit: Duration

    /// The default `mixedIntegerTimeLimit`: a scheduling job must answer within its planning interval.
    public static let defaultMixedIntegerTimeLimit = Duration.seconds(5)

    /// A problem over `prices.count` slots.
    public init(
        slotHours: Double, prices: [Double], devices: [StorageDevice], siteConnection: SiteConnection? = nil,
        preferChargingSooner: Bool = true, mixedIntegerTimeLimit: Duration = defaultMixedIntegerTimeLimit
    ) {
        self.slotHours = slotHours
        self.prices = prices
        self.devices = devices
        self.siteConnection = siteConnection
        self.preferChargingSooner = preferChargingSooner
        self.mixedIntegerTimeLimit = mixedIntegerTimeLimit
    }

    /// The number of slots.
    public var slotCount: Int { prices.count }

    /// The prices the optimiser sees: with `preferChargingSooner`, FlexMeasures' slope added.
    ///
    /// FlexMeasures adds `linspace(0, d, n)` with `d` a thousandth of the price spread, or 0.001 EUR/MWh
    /// when all prices are equal. Computing it the way numpy does keeps ties broken exactly as there,
    /// which the reference cases' sloped objective depends on.
    var objectivePrices: [Double] {
        guard preferChargingSooner, prices.count > 1, let lowest = prices.min(), let highest = prices.max() else {
            return prices
        }
        let spread = highest - lowest
        let maximumPenalty = spread > 0 ? spread * 1e-3 : 1e-3
        let step = maximumPenalty / Double(prices.count - 1)
        var sloped = prices
        for slot in sloped.indices.dropLast() {
            sloped[slot] += Double(slot) * step
        }
        sloped[sloped.count - 1] += maximumPenalty
        return sloped
    }
}
