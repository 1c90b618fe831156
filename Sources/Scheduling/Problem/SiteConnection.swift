/// The grid connection that every device of a problem sits behind: their total power stays within it.
///
/// Off by default (a problem's `siteConnection` is nil), so that each device is planned on its own as
/// in the reference. A charging site needs it: four charge points and a battery behind one connection.
public struct SiteConnection: Sendable, Hashable {
    /// The most the site may draw, MW; nil for no limit.
    public var maxPower: Double?
    /// The lowest total power, MW: negative is the most the site may feed in; nil for no limit.
    public var minPower: Double?
    /// Other consumption behind the same connection that the scheduler cannot move (a building's
    /// load, say), MW per slot, consumption positive; empty for none.
    public var inflexiblePower: [Double]

    /// A connection with the given limits; nil leaves that side unlimited.
    public init(maxPower: Double? = nil, minPower: Double? = nil, inflexiblePower: [Double] = []) {
        self.maxPower = maxPower
        self.minPower = minPower
        self.inflexiblePower = inflexiblePower
    }

    /// A symmetric connection: at most `capacity` MW drawn or fed in.
    public init(capacity: Double, inflexiblePower: [Double] = []) {
        self.init(maxPower: capacity, minPower: -capacity, inflexiblePower: inflexiblePower)
    }

    /// The inflexible power in `slot`, MW.
    func inflexiblePower(inSlot slot: Int) -> Double {
        inflexiblePower.isEmpty ? 0 : inflexiblePower[slot]
    }
}
