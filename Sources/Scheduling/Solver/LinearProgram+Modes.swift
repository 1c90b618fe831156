import CGLPK

// Charge mode or discharge mode: binaries per lossy device and slot, only where they are needed.
//
// With both efficiencies at 1 a device has one power column, so it cannot charge and discharge at once,
// and the split would gain nothing anyway: drawing c and releasing d in one slot moves the SOC by exactly
// the net power, as drawing c + d does. The plain LP is then the whole answer (and the reference's), and
// none of this runs.
//
// With losses the LP has a charging and a discharging column per slot, and doing both at once burns
// energy in the losses. The binary b of a device and slot allows charge <= capacity x b and
// discharge >= -capacity x (1 - b); per slot that is already the convex hull of the two modes
// (charge + |discharge| <= capacity), so what branching resolves is the coupling through the SOC.
// Three facts keep the mixed-integer program small and rare:
// 1. Forbidding the burn only shrinks the feasible set. So when the LP's optimum burns nowhere, it is the
//    MIP's optimum: no binaries, no branching. That is the common case (positive prices), for the cost
//    of one scan of the solution.
// 2. The same holds for a program with binaries at only some pairs: it is a relaxation of the full MIP,
//    so if its optimum burns nowhere, that optimum is the full MIP's. The loop therefore adds binaries
//    only where the current optimum burns (with the rest of that slot's run of prices <= 0, where the
//    burn moves next), and solves again, until the optimum burns nowhere. Exact, and far smaller than
//    a binary per slot: a week of a charging site at 5 minutes needed 177 binaries instead of 6,048.
// 3. At a slot whose objective price is positive, burning never pays: replacing charge c and discharge d
//    by the single direction that moves the SOC by as much (c' = s / etaC or d' = etaD x s, with
//    s = etaC x c + d / etaD) keeps every SOC and device limit, lowers the device's net power by
//    |d| x (1 / (etaC x etaD) - 1) or c x (1 - etaC x etaD), and so lowers the cost. Applied to any
//    plan, that replacement gives one the MIP accepts (unless the lower net power breaks a site's
//    minimum power): branch and bound starts with an incumbent, and the time limit always has a plan.
extension LinearProgram {
    /// Solves the LP (warm-started), then the MIP only when the LP's optimum burns energy.
    func solveWithModes(_ lp: OpaquePointer) throws(SchedulingError) -> Schedule {
        try optimize(lp)
        let relaxed = schedule(solution: .linearProgram) { glp_get_col_prim(lp, $0) }
        let pairs = modePairs()
        guard !pairs.isEmpty else { return relaxed }
        let values = columnValues { glp_get_col_prim(lp, $0) }
        guard pairs.contains(where: { burns(values, $0) }) else { return relaxed }
        return try solveMixedInteger(lp, pairs: pairs, relaxedValues: values, relaxed: relaxed)
    }

    /// A device and slot that can burn energy: the device has losses and can discharge.
    struct ModePair {
        let device: Int
        let slot: Int
        let capacity: Double
    }

    /// Every device-slot pair that can burn energy.
    func modePairs() -> [ModePair] {
        var pairs: [ModePair] = []
        for (index, device) in problem.devices.enumerated()
        where layouts[index].hasDischargeColumn && device.lowestPower < 0 && device.capacity > 0 {
            for slot in 0..<problem.slotCount {
                pairs.append(ModePair(device: index, slot: slot, capacity: device.capacity))
            }
        }
        return pairs
    }

    /// The values of the program's own columns (not the binaries), 1-based like GLPK's.
    private func columnValues(_ value: (Int32) -> Double) -> [Double] {
        let count = layouts.last.map { $0.first - 1 + $0.stride * problem.slotCount } ?? 0
        var values = [Double](repeating: 0, count: count + 1)
        for column in 1...count { values[column] = value(Int32(column)) }
        return values
    }

    /// True when `values` charge and discharge the pair's device in its slot.
    private func burns(_ values: [Double], _ pair: ModePair) -> Bool {
        let columns = layouts[pair.device]
        let threshold = 1e-9 * Swift.max(1, pair.capacity)
        return values[columns.power(pair.slot)] > threshold && values[columns.discharge(pair.slot)] < -threshold
    }

    /// Fact 2's loop, within the problem's time limit.
    private func solveMixedInteger(
        _ lp: OpaquePointer, pairs: [ModePair], relaxedValues: [Double], relaxed: Schedule
    ) throws(SchedulingError) -> Schedule {
        let clock = ContinuousClock()
        let deadline = clock.now + problem.mixedIntegerTimeLimit
        let costs = (0..<relaxedValues.count).map { $0 == 0 ? 0 : glp_get_obj_coef(lp, Int32($0)) }
        func objective(_ values: [Double]) -> Double { zip(costs, values).reduce(0) { $0 + $1.0 * $1.1 } }
        var binaries: [Int: Int32] = [:]
        // The best plan found that burns nowhere, and a lower bound on every plan's objective.
        var best: (values: [Double], objective: Double)?
        var lowerBound = -Double.infinity
        func consider(_ values: [Double]) {
            guard let plan = oneDirectional(values, pairs: pairs) else { return }
            let value = objective(plan)
            if value < best?.objective ?? .infinity { best = (plan, value) }
        }
        consider(relaxedValues)
        var values = relaxedValues
        while true {
            let burning = pairs.indices.filter { binaries[$0] == nil && burns(values, pairs[$0]) }
            if burning.isEmpty {
                // Fact 2: the relaxation's optimum burns nowhere, so it is the MIP's optimum.
                return schedule(solution: .mixedInteger) { values[Int($0)] }
            }
            let added = binaryCandidates(around: burning, of: pairs).filter { binaries[$0] == nil }
            addBinaries(lp, for: added, of: pairs, into: &binaries)
            try solveRelaxation(lp)
            lowerBound = Swift.max(lowerBound, glp_get_obj_val(lp))
            let remaining = deadline - clock.now
            guard remaining > .zero else { break }

            let search = IncumbentSearch(start: best.map { withBinaries($0.values, binaries, pairs, lp) })
            var options = glp_iocp()
            glp_init_iocp(&options)
            options.msg_lev = GLP_MSG_OFF
            options.presolve = GLP_OFF
            options.tm_lim = Int32(Swift.max(1, Swift.min(Double(Int32.max), remaining / .milliseconds(1))))
            // Measured (flexmeasures-bench scheduling): without cuts a week of one battery with negative
            // middays ran into a 5 s limit at a 0.1 % gap; MIR cuts prove it optimal in 20 ms. Gomory's cuts
            // did as well there but cost the site a third more time.
            options.mir_cuts = GLP_ON
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
                values = columnValues { glp_mip_col_val(lp, $0) }
                lowerBound = Swift.max(lowerBound, glp_mip_obj_val(lp))
                consider(values)
            case (GLP_ETMLIM, _):
                if status == GLP_FEAS { consider(columnValues { glp_mip_col_val(lp, $0) }) }
                lowerBound = Swift.max(lowerBound, search.bound)
            case (0, GLP_NOFEAS), (GLP_ENOPFS, _):
                throw .infeasible(burningOnlyReason)
            default:
                throw .solverFailure("GLPK's branch and bound stopped without a verdict (code \(result), status \(status))")
            }
            if result == GLP_ETMLIM { break }
        }

        // The time limit: the best plan found, or else the LP's.
        guard let best else {
            return Schedule(
                power: relaxed.power, stateOfCharge: relaxed.stateOfCharge, cost: relaxed.cost, solution: .linearFallback
            )
        }
        let gap = Swift.max(0, best.objective - lowerBound) / Swift.max(abs(best.objective), .ulpOfOne)
        return schedule(solution: .mixedIntegerAtTimeLimit(gap: gap)) { best.values[Int($0)] }
    }

    /// The pairs to give binaries when `burning` burn: each with the rest of its run of slots priced <= 0,
    /// where burning pays and where, once one slot is forbidden to, the next one tends to take over. Any
    /// superset of `burning` keeps the loop exact; the runs only save rounds, each a branch and bound.
    private func binaryCandidates(around burning: [Int], of pairs: [ModePair]) -> [Int] {
        let prices = problem.objectivePrices
        var chosen = Set<Int>()
        for index in burning where !chosen.contains(index) {
            chosen.insert(index)
            guard prices[pairs[index].slot] <= 0 else { continue }
            // Pairs of one device are consecutive slots in `pairs`.
            var earlier = index - 1
            while earlier >= 0, pairs[earlier].device == pairs[index].device, prices[pairs[earlier].slot] <= 0 {
                chosen.insert(earlier)
                earlier -= 1
            }
            var later = index + 1
            while later < pairs.count, pairs[later].device == pairs[index].device, prices[pairs[later].slot] <= 0 {
                chosen.insert(later)
                later += 1
            }
        }
        return chosen.sorted()
    }

    /// Adds a binary and its two rows for each of `pairs[indices]`.
    private func addBinaries(
        _ lp: OpaquePointer, for indices: [Int], of pairs: [ModePair], into binaries: inout [Int: Int32]
    ) {
        let firstBinary = glp_add_cols(lp, Int32(indices.count))
        let firstRow = glp_add_rows(lp, Int32(2 * indices.count))
        for (offset, index) in indices.enumerated() {
            let pair = pairs[index]
            let binary = firstBinary + Int32(offset)
            binaries[index] = binary
            let columns = layouts[pair.device]
            glp_set_col_kind(lp, binary, GLP_BV)
            // charge - capacity x b <= 0
            var indices: [Int32] = [0, Int32(columns.power(pair.slot)), binary]
            var coefficients: [Double] = [0, 1, -pair.capacity]
            let chargeRow = firstRow + Int32(2 * offset)
            glp_set_mat_row(lp, chargeRow, 2, &indices, &coefficients)
            glp_set_row_bnds(lp, chargeRow, GLP_UP, 0, 0)
            // discharge - capacity x b >= -capacity
            indices[1] = Int32(columns.discharge(pair.slot))
            glp_set_mat_row(lp, chargeRow + 1, 2, &indices, &coefficients)
            glp_set_row_bnds(lp, chargeRow + 1, GLP_LO, -pair.capacity, 0)
        }
    }

    /// Re-solves the LP relaxation after binaries were added, as glp_intopt without presolve needs.
    ///
    /// The new rows enter basic with zero duals and the binaries at a bound with zero reduced cost, so the
    /// previous optimal basis stays dual feasible: the dual simplex only repairs the burning slots.
    private func solveRelaxation(_ lp: OpaquePointer) throws(SchedulingError) {
        var parameters = glp_smcp()
        glp_init_smcp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        parameters.meth = GLP_DUALP
        parameters.presolve = GLP_OFF
        var code = glp_simplex(lp, &parameters)
        if code == GLP_EBADB || code == GLP_ESING || code == GLP_ECOND {
            // The basis glp_intopt left behind does not fit; start from a valid one.
            glp_adv_basis(lp, 0)
            code = glp_simplex(lp, &parameters)
        }
        if code == GLP_ENOPFS || glp_get_status(lp) == GLP_NOFEAS {
            throw .infeasible(burningOnlyReason)
        }
        guard code == 0, glp_get_status(lp) == GLP_OPT else {
            throw .solverFailure("GLPK's simplex stopped on the relaxed mode program (code \(code), status \(glp_get_status(lp)))")
        }
    }

    /// Fact 3: `values` with every burning slot turned into one direction; nil when that breaks the
    /// site's minimum power.
    private func oneDirectional(_ values: [Double], pairs: [ModePair]) -> [Double]? {
        var values = values
        for pair in pairs {
            let device = problem.devices[pair.device]
            let columns = layouts[pair.device]
            let charge = values[columns.power(pair.slot)]
            let discharge = values[columns.discharge(pair.slot)]
            guard charge > 0, discharge < 0 else { continue }
            let storageRate = device.chargingEfficiency * charge + discharge / device.dischargingEfficiency
            values[columns.power(pair.slot)] = Swift.max(0, storageRate) / device.chargingEfficiency
            values[columns.discharge(pair.slot)] = Swift.min(0, storageRate) * device.dischargingEfficiency
        }
        guard siteRows, let site = problem.siteConnection, let minPower = site.minPower else { return values }
        for slot in 0..<problem.slotCount {
            var total = site.inflexiblePower(inSlot: slot)
            for columns in layouts {
                total += values[columns.power(slot)]
                if columns.hasDischargeColumn { total += values[columns.discharge(slot)] }
            }
            if total < minPower - 1e-9 * Swift.max(1, abs(minPower)) { return nil }
        }
        return values
    }

    /// A one-directional plan extended by the binaries' values, 1-based over every column, for GLPK.
    private func withBinaries(
        _ values: [Double], _ binaries: [Int: Int32], _ pairs: [ModePair], _ lp: OpaquePointer
    ) -> [Double] {
        var all = values + [Double](repeating: 0, count: Int(glp_get_num_cols(lp)) + 1 - values.count)
        for (index, binary) in binaries {
            let pair = pairs[index]
            all[Int(binary)] = values[layouts[pair.device].power(pair.slot)] > 0 ? 1 : 0
        }
        return all
    }

    private var burningOnlyReason: String {
        let limit = problem.siteConnection?.minPower.map { " and the site connection's minimum of \(mw($0)) MW" } ?? ""
        return "the devices' targets and SOC limits\(limit) could only be met by charging and discharging "
            + "a device with losses in the same slot, which no device can do"
    }
}

/// What branch and bound's callback needs: the incumbent to offer once, and the best bound reported.
private final class IncumbentSearch {
    private var start: [Double]?
    private(set) var bound = -Double.infinity

    init(start: [Double]?) {
        self.start = start
    }

    func visit(_ tree: OpaquePointer) {
        if glp_ios_reason(tree) == GLP_IHEUR, let values = start {
            start = nil
            _ = glp_ios_heur_sol(tree, values)
        }
        let node = glp_ios_best_node(tree)
        if node != 0 {
            bound = glp_ios_node_bound(tree, node)
        }
    }
}
