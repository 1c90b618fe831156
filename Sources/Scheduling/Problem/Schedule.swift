/// The cheapest plan for a problem: power and state of charge of every device in every slot.
public struct Schedule: Sendable, Hashable {
    /// MW per device (in the problem's order) and slot, consumption positive.
    public let power: [[Double]]
    /// MWh per device and slot, at the end of the slot.
    public let stateOfCharge: [[Double]]
    /// EUR: price x power x slot length over every device and slot, without the tie-breaking slope.
    public let cost: Double
    /// Which program produced the plan, and whether it is proven optimal.
    public let solution: Solution

    /// A schedule as the solver found it.
    public init(power: [[Double]], stateOfCharge: [[Double]], cost: Double, solution: Solution = .linearProgram) {
        self.power = power
        self.stateOfCharge = stateOfCharge
        self.cost = cost
        self.solution = solution
    }

    /// MW per slot, all devices together (without a site's inflexible power).
    public var totalPower: [Double] {
        guard var total = power.first else { return [] }
        for device in power.dropFirst() {
            for slot in total.indices { total[slot] += device[slot] }
        }
        return total
    }

    /// True when the MIP stopped at its time limit, so the plan is not proven optimal (or, for
    /// `.linearFallback`, not one a lossy device can follow exactly).
    public var usedFallback: Bool {
        switch solution {
        case .linearProgram, .mixedInteger: false
        case .mixedIntegerAtTimeLimit, .linearFallback: true
        }
    }

    /// What a user should know about how the plan was found; nil when it is a proven optimum.
    public var solverNote: String? {
        switch solution {
        case .linearProgram, .mixedInteger:
            return nil
        case .mixedIntegerAtTimeLimit(let gap):
            let percent = (gap * 1e4).rounded() / 1e2
            return "the mixed-integer search stopped at its time limit; this is the best plan found, "
                + "at most \(percent) % above the optimum"
        case .linearFallback:
            return "the mixed-integer search stopped at its time limit without a plan; this is the linear program's, "
                + "in which a device with losses charges and discharges in the same slot to burn energy"
        }
    }
}

extension Schedule {
    /// How the solver arrived at a schedule.
    public enum Solution: Sendable, Hashable {
        /// The linear program's optimum, with no device charging and discharging in the same slot: optimal.
        case linearProgram
        /// The mixed-integer program's proven optimum: needed when, with losses, the linear program's
        /// optimum charges and discharges a device in the same slot.
        case mixedInteger
        /// The mixed-integer search hit its time limit; the best plan found, whose objective (the cost with
        /// the tie-breaking slope) is at most `gap` (relative, 0.01 for 1 %) above the optimum's.
        case mixedIntegerAtTimeLimit(gap: Double)
        /// The mixed-integer search hit its time limit before finding any plan: the linear program's plan,
        /// in which some device with losses charges and discharges in the same slot. Its net power keeps
        /// every limit and target, but its state of charge follows the split, not the net power.
        case linearFallback
    }
}
