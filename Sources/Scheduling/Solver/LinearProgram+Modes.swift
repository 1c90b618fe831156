import CGLPK

// Charge mode or discharge mode: a binary per lossy device and slot, only where it can matter.
//
// With both efficiencies at 1 a device has one power column, so it cannot charge and discharge at once,
// and the split would gain nothing anyway: drawing c and releasing d in one slot moves the SOC by exactly
// the net power, as drawing c + d does. The plain LP is then the whole answer (and the reference's).
//
// With losses the LP has a charging and a discharging column per slot, and doing both at once burns
// energy in the losses. Three facts keep the mixed-integer program small and rare:
// 1. The MIP's feasible set is a subset of the LP's. So when the LP's optimum charges and discharges no
//    device in the same slot, it is feasible for the MIP and hence the MIP's optimum: no branching at all.
//    That is the common case (positive prices), and it costs one scan of the solution.
// 2. At a slot whose objective price is positive, burning never pays: replacing charge c and discharge d
//    by the single direction that moves the SOC by as much (c' = s / etaC or d' = etaD x s, with
//    s = etaC x c + d / etaD) keeps every SOC and device limit, lowers the device's net power by
//    |d| x (1 / (etaC x etaD) - 1) or c x (1 - etaC x etaD), and so lowers the cost. Lower net power can
//    only break a site's minimum power, so without one a binary is needed only at slots priced <= 0.
// 3. That same replacement applied to the LP's optimum is a plan the MIP accepts (again unless a site
//    minimum breaks), so branch and bound starts with an incumbent and can always return a plan at its
//    time limit.
// The binary b of a device and slot allows charge <= capacity x b and discharge >= -capacity x (1 - b).
// Per slot that is the convex hull of the two modes (charge + |discharge| <= capacity), as tight as a
// formulation of one slot can be; what branching resolves is the coupling through the SOC.

extension LinearProgram {
    /// Solves the LP (warm-started), then the MIP only when the LP's optimum burns energy.
    func solveWithModes(_ lp: OpaquePointer) throws(SchedulingError) -> Schedule {
        try optimize(lp)
        let relaxed = schedule(solution: .linearProgram) { glp_get_col_prim(lp, $0) }
        let pairs = modePairs()
        guard !pairs.isEmpty else { return relaxed }
        let columnCount = Int(glp_get_num_cols(lp))
        var values = [Double](repeating: 0, count: columnCount + 1)
        for column in 1...columnCount { values[column] = glp_get_col_prim(lp, Int32(column)) }
        guard pairs.contains(where: { burns(values, $0) }) else { return relaxed }
        return try solveMixedInteger(lp, pairs: pairs, relaxedValues: values, relaxed: relaxed)
    }

    /// A device and slot that gets a binary.
    struct ModePair {
        let device: Int
        let slot: Int
        let capacity: Double
    }

    /// The device-slot pairs that may burn energy in an optimum, per facts 2 and 3 above.
    func modePairs() -> [ModePair] {
        let everySlot = problem.siteConnection?.minPower != nil
        let prices = problem.objectivePrices
        var pairs: [ModePair] = []
        for (index, device) in problem.devices.enumerated()
        where layouts[index].hasDischargeColumn && device.lowestPower < 0 && device.capacity > 0 {
            for slot in 0..<problem.slotCount where everySlot || prices[slot] <= 0 {
                pairs.append(ModePair(device: index, slot: slot, capacity: device.capacity))
            }
        }
        return pairs
    }

    /// True when `values` (1-based column values) charge and discharge the pair's device in its slot.
    private func burns(_ values: [Double], _ pair: ModePair) -> Bool {
        let columns = layouts[pair.device]
        let threshold = 1e-9 * Swift.max(1, pair.capacity)
        return values[columns.power(pair.slot)] > threshold && values[columns.discharge(pair.slot)] < -threshold
    }

    private func solveMixedInteger(
        _ lp: OpaquePointer, pairs: [ModePair], relaxedValues: [Double], relaxed: Schedule
    ) throws(SchedulingError) -> Schedule {
        let firstBinary = Int(glp_get_num_cols(lp)) + 1
        let firstRow = Int(glp_get_num_rows(lp)) + 1
        glp_add_cols(lp, Int32(pairs.count))
        glp_add_rows(lp, Int32(2 * pairs.count))
        for (offset, pair) in pairs.enumerated() {
            let binary = Int32(firstBinary + offset)
            let columns = layouts[pair.device]
            glp_set_col_kind(lp, binary, GLP_BV)
            // charge - capacity x b <= 0
            var indices: [Int32] = [0, Int32(columns.power(pair.slot)), binary]
            var coefficients: [Double] = [0, 1, -pair.capacity]
            let chargeRow = Int32(firstRow + 2 * offset)
            glp_set_mat_row(lp, chargeRow, 2, &indices, &coefficients)
            glp_set_row_bnds(lp, chargeRow, GLP_UP, 0, 0)
            // discharge - capacity x b >= -capacity
            indices[1] = Int32(columns.discharge(pair.slot))
            glp_set_mat_row(lp, chargeRow + 1, 2, &indices, &coefficients)
            glp_set_row_bnds(lp, chargeRow + 1, GLP_LO, -pair.capacity, 0)
        }

        // The new rows enter basic with zero duals and the binaries at a bound with zero reduced cost, so
        // the LP's optimal basis stays dual feasible: the dual simplex only repairs the burning slots.
        var parameters = glp_smcp()
        glp_init_smcp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.meth = GLP_DUALP
        parameters.presolve = GLP_OFF
        let code = glp_simplex(lp, &parameters)
        if code == GLP_ENOPFS || glp_get_status(lp) == GLP_NOFEAS {
            throw .infeasible(burningOnlyReason)
        }
        guard code == 0, glp_get_status(lp) == GLP_OPT else {
            throw .solverFailure("GLPK's simplex stopped on the relaxed mode program (status \(glp_get_status(lp)))")
        }

        // The relaxation's optimum bounds every plan's objective from below.
        let bound = glp_get_obj_val(lp)
        let start = incumbent(from: relaxedValues, pairs: pairs, firstBinary: firstBinary)
        let search = IncumbentSearch(start: start)
        var options = glp_iocp()
        glp_init_iocp(&options)
        options.msg_lev = GLP_MSG_OFF
        options.presolve = GLP_OFF
        options.tm_lim = problem.mixedIntegerTimeLimitMilliseconds
        options.br_tech = GLP_BR_DTH
        options.bt_tech = GLP_BT_BLB
        options.cb_func = { tree, info in
            guard let tree, let info else { return }
            Unmanaged<IncumbentSearch>.fromOpaque(info).takeUnretainedValue().visit(tree)
        }
        let result = withExtendedLifetime(search) {
            options.cb_info = Unmanaged.passUnretained(search).toOpaque()
            return glp_intopt(lp, &options)
        }
        let status = glp_mip_status(lp)
        switch (result, status) {
        case (0, GLP_OPT):
            return schedule(solution: .mixedInteger) { glp_mip_col_val(lp, $0) }
        case (GLP_ETMLIM, GLP_FEAS):
            return schedule(solution: .mixedIntegerAtTimeLimit(gap: search.gap)) { glp_mip_col_val(lp, $0) }
        case (GLP_ETMLIM, _):
            // Stopped before branch and bound took the incumbent offered (at its root, say): that plan then.
            guard let start else {
                return Schedule(
                    power: relaxed.power, stateOfCharge: relaxed.stateOfCharge, cost: relaxed.cost,
                    solution: .linearFallback
                )
            }
            let found = objectiveValue(of: start, in: lp)
            let gap = abs(found - bound) / Swift.max(abs(found), .ulpOfOne)
            return schedule(solution: .mixedIntegerAtTimeLimit(gap: gap)) { start[Int($0)] }
        case (0, GLP_NOFEAS), (GLP_ENOPFS, _):
            throw .infeasible(burningOnlyReason)
        default:
            throw .solverFailure("GLPK's branch and bound stopped without a verdict (code \(result), status \(status))")
        }
    }

    /// Fact 3: the LP's values with every burning slot turned into one direction, the binaries set to match;
    /// nil when that breaks the site's minimum power.
    private func incumbent(from relaxedValues: [Double], pairs: [ModePair], firstBinary: Int) -> [Double]? {
        var values = relaxedValues + [Double](repeating: 0, count: pairs.count)
        for (offset, pair) in pairs.enumerated() {
            let device = problem.devices[pair.device]
            let columns = layouts[pair.device]
            let charge = values[columns.power(pair.slot)]
            let discharge = values[columns.discharge(pair.slot)]
            if charge > 0, discharge < 0 {
                let storageRate = device.chargingEfficiency * charge + discharge / device.dischargingEfficiency
                values[columns.power(pair.slot)] = Swift.max(0, storageRate) / device.chargingEfficiency
                values[columns.discharge(pair.slot)] = Swift.min(0, storageRate) * device.dischargingEfficiency
            }
            values[firstBinary + offset] = values[columns.power(pair.slot)] > 0 ? 1 : 0
        }
        guard siteRows, let minPower = problem.siteConnection?.minPower else { return values }
        for slot in 0..<problem.slotCount {
            var total = problem.siteConnection?.inflexiblePower(inSlot: slot) ?? 0
            for columns in layouts {
                total += values[columns.power(slot)]
                if columns.hasDischargeColumn { total += values[columns.discharge(slot)] }
            }
            if total < minPower - 1e-9 * Swift.max(1, abs(minPower)) { return nil }
        }
        return values
    }

    /// The objective (sloped prices) of 1-based column values.
    private func objectiveValue(of values: [Double], in lp: OpaquePointer) -> Double {
        var total = 0.0
        for column in 1..<values.count {
            total += glp_get_obj_coef(lp, Int32(column)) * values[column]
        }
        return total
    }

    private var burningOnlyReason: String {
        let limit = problem.siteConnection?.minPower.map { " and the site connection's minimum of \(mw($0)) MW" } ?? ""
        return "the devices' targets and SOC limits\(limit) could only be met by charging and discharging "
            + "a device with losses in the same slot, which no device can do"
    }
}

/// What branch and bound's callback needs: the incumbent to offer once, and the last reported gap.
private final class IncumbentSearch {
    private var start: [Double]?
    private(set) var gap = Double.infinity

    init(start: [Double]?) {
        self.start = start
    }

    func visit(_ tree: OpaquePointer) {
        if glp_ios_reason(tree) == GLP_IHEUR, let values = start {
            start = nil
            _ = glp_ios_heur_sol(tree, values)
        }
        if glp_ios_best_node(tree) != 0 {
            gap = glp_ios_mip_gap(tree)
        }
    }
}
