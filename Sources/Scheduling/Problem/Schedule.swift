/// The cheapest plan for a problem: power and state of charge of every device in every slot.
public struct Schedule: Sendable, Hashable {
    /// MW per device (in the problem's order) and slot, consumption positive.
    public let power: [[Double]]
    /// MWh per device and slot, at the end of the slot.
    public let stateOfCharge: [[Double]]
    /// EUR: price x power x slot length over every device and slot, without the tie-breaking slope.
    public let cost: Double

    /// A schedule as the solver found it.
    public init(power: [[Double]], stateOfCharge: [[Double]], cost: Double) {
        self.power = power
        self.stateOfCharge = stateOfCharge
        self.cost = cost
    }

    /// MW per slot, all devices together (without a site's inflexible power).
    public var totalPower: [Double] {
        guard var total = power.first else { return [] }
        for device in power.dropFirst() {
            for slot in total.indices { total[slot] += device[slot] }
        }
        return total
    }
}
