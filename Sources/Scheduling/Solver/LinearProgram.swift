import CGLPK

/// The linear program of one validated problem, built on GLPK's C API and solved in process.
///
/// Columns, per device and slot: the power (or, for a device with losses, a charging part >= 0 and a
/// discharging part <= 0), then the SOC at the end of the slot. Rows: per device and slot the energy
/// balance `soc[j] - soc[j-1] - dt x (etaC x charge + discharge / etaD) = 0` (the SOC at start moves to
/// the right-hand side of slot 0), then per slot, when a site connection limits it, the total power.
/// SOC variables keep the matrix at two or three nonzeros per device and slot, where cumulative sums
/// would fill it with n^2 / 2.
///
/// With losses, nothing in a linear program stops a slot from charging and discharging at once; that
/// pays at negative prices, where burning energy in the losses earns money, and then the split is not one
/// a battery can follow. When the LP's optimum does that, binaries for the charge or discharge mode turn
/// it into a MIP (see `LinearProgram+Modes.swift`); the reference has no losses, so it stays an LP.
///
/// The simplex starts from a basis built for this structure (see `StartingBasis`), not from GLPK's
/// presolver: a cold start takes about one iteration per row, each costing O(rows), which put 2,016
/// slots of five devices at 1.7 s; the warm starts need a small fraction of those iterations. The presolved
/// cold start remains the fallback should GLPK refuse a starting basis.
struct LinearProgram {
    /// Where one device's columns are: `stride` columns per slot, the SOC column last.
    struct DeviceColumns {
        let first: Int
        let stride: Int

        var hasDischargeColumn: Bool { stride == 3 }
        func power(_ slot: Int) -> Int { first + stride * slot }
        func discharge(_ slot: Int) -> Int { first + stride * slot + 1 }
        func soc(_ slot: Int) -> Int { first + stride * slot + stride - 1 }
    }

    let problem: SchedulingProblem
    let layouts: [DeviceColumns]
    let siteRows: Bool

    /// The program of `problem`, which must have passed `validate()`.
    init(problem: SchedulingProblem) {
        self.problem = problem
        var layouts: [DeviceColumns] = []
        var columnCount = 0
        for device in problem.devices {
            let stride = device.hasLosses ? 3 : 2
            layouts.append(DeviceColumns(first: columnCount + 1, stride: stride))
            columnCount += stride * problem.slotCount
        }
        self.layouts = layouts
        siteRows = problem.siteConnection.map { $0.minPower != nil || $0.maxPower != nil } ?? false
    }

    /// The row of a device's energy balance in `slot`.
    func balanceRow(device: Int, slot: Int) -> Int { device * problem.slotCount + slot + 1 }

    /// The row of the site's total power in `slot`.
    func siteRow(slot: Int) -> Int { problem.devices.count * problem.slotCount + slot + 1 }

    /// Builds, solves and deletes the GLPK problem.
    func solve() throws(SchedulingError) -> Schedule {
        try withProblem { lp throws(SchedulingError) in try solveWithModes(lp) }
    }

    /// The optimal basis, as GLPK statuses of every column and row; used to warm-start a larger problem.
    func optimalBasis() throws(SchedulingError) -> StartingBasis.Statuses {
        try withProblem { lp throws(SchedulingError) in
            try optimize(lp)
            return StartingBasis.Statuses(
                columns: (1...glp_get_num_cols(lp)).map { glp_get_col_stat(lp, $0) },
                rows: (1...glp_get_num_rows(lp)).map { glp_get_row_stat(lp, $0) }
            )
        }
    }

    private func withProblem<Result>(
        _ body: (OpaquePointer) throws(SchedulingError) -> Result
    ) throws(SchedulingError) -> Result {
        // GLPK keeps its environment per thread in Debian's build; silence it on whichever thread we are.
        glp_term_out(GLP_OFF)
        guard let lp = glp_create_prob() else { throw .solverFailure("GLPK could not create a problem") }
        defer { glp_delete_prob(lp) }
        build(lp)
        return try body(lp)
    }

    private func build(_ lp: OpaquePointer) {
        let slotCount = problem.slotCount
        let dt = problem.slotHours
        let objectivePrices = problem.objectivePrices
        let columnCount = layouts.last.map { $0.first - 1 + $0.stride * slotCount } ?? 0
        glp_set_obj_dir(lp, GLP_MIN)
        glp_add_rows(lp, Int32(slotCount * problem.devices.count + (siteRows ? slotCount : 0)))
        glp_add_cols(lp, Int32(columnCount))

        // 1-based triplets: glp_load_matrix ignores index 0.
        let nonzeros = layouts.reduce(0) { $0 + (2 * $1.stride + 1) } * slotCount + 1
        var rowIndices: [Int32] = [0]
        var columnIndices: [Int32] = [0]
        var values: [Double] = [0]
        rowIndices.reserveCapacity(nonzeros)
        columnIndices.reserveCapacity(nonzeros)
        values.reserveCapacity(nonzeros)
        func add(_ row: Int, _ column: Int, _ value: Double) {
            rowIndices.append(Int32(row))
            columnIndices.append(Int32(column))
            values.append(value)
        }

        for (index, device) in problem.devices.enumerated() {
            let columns = layouts[index]
            let lowerSOC = device.effectiveMinSOC
            let upperSOC = device.effectiveMaxSOC
            var targets = [Int: Double]()
            for target in device.targets { targets[target.slot] = target.soc }
            for slot in 0..<slotCount {
                let row = balanceRow(device: index, slot: slot)
                let price = objectivePrices[slot] * dt
                if columns.hasDischargeColumn {
                    setBounds(lp, column: columns.power(slot), lower: 0, upper: device.highestPower)
                    setBounds(lp, column: columns.discharge(slot), lower: device.lowestPower, upper: 0)
                    glp_set_obj_coef(lp, Int32(columns.discharge(slot)), price)
                    add(row, columns.power(slot), -dt * device.chargingEfficiency)
                    add(row, columns.discharge(slot), -dt / device.dischargingEfficiency)
                } else {
                    setBounds(lp, column: columns.power(slot), lower: device.lowestPower, upper: device.highestPower)
                    add(row, columns.power(slot), -dt)
                }
                glp_set_obj_coef(lp, Int32(columns.power(slot)), price)
                if let target = targets[slot] {
                    setBounds(lp, column: columns.soc(slot), lower: target, upper: target)
                } else {
                    setBounds(lp, column: columns.soc(slot), lower: lowerSOC, upper: upperSOC)
                }
                add(row, columns.soc(slot), 1)
                if slot > 0 { add(row, columns.soc(slot - 1), -1) }
                let start = slot == 0 ? device.socAtStart : 0
                glp_set_row_bnds(lp, Int32(row), GLP_FX, start, start)
            }
        }

        if siteRows, let site = problem.siteConnection {
            for slot in 0..<slotCount {
                let inflexible = site.inflexiblePower(inSlot: slot)
                setBounds(
                    lp, row: siteRow(slot: slot),
                    lower: site.minPower.map { $0 - inflexible }, upper: site.maxPower.map { $0 - inflexible }
                )
                for columns in layouts {
                    add(siteRow(slot: slot), columns.power(slot), 1)
                    if columns.hasDischargeColumn { add(siteRow(slot: slot), columns.discharge(slot), 1) }
                }
            }
        }
        glp_load_matrix(lp, Int32(values.count - 1), rowIndices, columnIndices, values)
    }

    /// What GLPK proved about a program.
    private enum Verdict {
        case optimal
        case infeasible
    }

    /// Solves from the structural starting basis, falling back to GLPK's presolved cold start.
    func optimize(_ lp: OpaquePointer) throws(SchedulingError) {
        var parameters = glp_smcp()
        glp_init_smcp(&parameters)
        parameters.msg_lev = GLP_MSG_OFF
        // The starting bases are dual feasible (but for a battery without a maximum SOC at negative
        // prices, which the dual simplex's phase 1 handles), so the dual simplex starts at phase 2.
        parameters.meth = GLP_DUALP
        parameters.presolve = GLP_OFF
        if siteRows && problem.devices.count > 1 {
            StartingBasis.fromSeparateOptima(of: self, in: lp)
            // Measured on 2,016 slots x 5 devices: textbook pricing beats steepest edge for the
            // repairs left, and the long-step ratio test does not pay off there.
            parameters.pricing = GLP_PT_STD
        } else {
            StartingBasis.fromPriceThreshold(of: self, in: lp)
            // Boxed power and SOC columns let the long-step ratio test flip many bounds per iteration.
            parameters.r_test = GLP_RT_FLIP
        }
        var verdict = Self.run(lp, parameters)
        if verdict == nil {
            // GLPK refused the starting basis (singular, ill-conditioned) or gave up: start cold, presolved.
            glp_init_smcp(&parameters)
            parameters.msg_lev = GLP_MSG_OFF
            parameters.presolve = GLP_ON
            verdict = Self.run(lp, parameters)
        }
        switch verdict {
        case .optimal: return
        case .infeasible: throw .infeasible(infeasibilityReason)
        case nil: throw .solverFailure("GLPK's simplex stopped without a verdict (status \(glp_get_status(lp)))")
        }
    }

    /// nil when GLPK reached neither an optimum nor a proof of infeasibility.
    private static func run(_ lp: OpaquePointer, _ parameters: glp_smcp) -> Verdict? {
        var parameters = parameters
        let code = glp_simplex(lp, &parameters)
        if code == GLP_ENOPFS { return .infeasible }
        guard code == 0 else { return nil }
        switch glp_get_status(lp) {
        case GLP_OPT: return .optimal
        case GLP_NOFEAS: return .infeasible
        default: return nil
        }
    }

    /// The pre-checks catch every cause within one device, so what is left is the devices' coupling.
    private var infeasibilityReason: String {
        guard let site = problem.siteConnection else {
            return "the SOC limits and targets cannot all be met at the devices' power"
        }
        let limits = [site.minPower.map { "minimum of \(mw($0)) MW" }, site.maxPower.map { "maximum of \(mw($0)) MW" }]
        return "the devices' targets and SOC limits cannot all be met within the site connection's "
            + limits.compactMap { $0 }.joined(separator: " and ")
    }

    /// The schedule of a solution, reading each column's value (GLPK's 1-based index) with `value`.
    func schedule(solution: Schedule.Solution, value columnValue: (Int32) -> Double) -> Schedule {
        var power: [[Double]] = []
        var stateOfCharge: [[Double]] = []
        var cost = 0.0
        for (index, device) in problem.devices.enumerated() {
            let columns = layouts[index]
            var devicePower = [Double](repeating: 0, count: problem.slotCount)
            var deviceSOC = [Double](repeating: 0, count: problem.slotCount)
            for slot in 0..<problem.slotCount {
                var value = columnValue(Int32(columns.power(slot)))
                if columns.hasDischargeColumn { value += columnValue(Int32(columns.discharge(slot))) }
                // A basic variable can stray past its bound by rounding; a one-way EVSE reading -1e-17 MW
                // would claim to discharge.
                value = Swift.min(Swift.max(value, device.lowestPower), device.highestPower)
                devicePower[slot] = value
                deviceSOC[slot] = columnValue(Int32(columns.soc(slot)))
                cost += problem.prices[slot] * value * problem.slotHours
            }
            power.append(devicePower)
            stateOfCharge.append(deviceSOC)
        }
        return Schedule(power: power, stateOfCharge: stateOfCharge, cost: cost, solution: solution)
    }
}

/// Sets a column's bounds, picking GLPK's bound type from which limits exist (nil: none).
private func setBounds(_ lp: OpaquePointer, column: Int, lower: Double?, upper: Double?) {
    let (type, low, high) = boundType(lower: lower, upper: upper)
    glp_set_col_bnds(lp, Int32(column), type, low, high)
}

/// Sets a row's bounds, picking GLPK's bound type from which limits exist (nil: none).
private func setBounds(_ lp: OpaquePointer, row: Int, lower: Double?, upper: Double?) {
    let (type, low, high) = boundType(lower: lower, upper: upper)
    glp_set_row_bnds(lp, Int32(row), type, low, high)
}

/// GLP_DB wants lower < upper (glp_simplex refuses equal double bounds), so equal ones become GLP_FX;
/// the pre-checks have ruled out lower > upper.
private func boundType(lower: Double?, upper: Double?) -> (Int32, Double, Double) {
    switch (lower, upper) {
    case (nil, nil): return (GLP_FR, 0, 0)
    case (let lower?, nil): return (GLP_LO, lower, 0)
    case (nil, let upper?): return (GLP_UP, 0, upper)
    case (let lower?, let upper?):
        return lower < upper ? (GLP_DB, lower, upper) : (GLP_FX, lower, lower)
    }
}
