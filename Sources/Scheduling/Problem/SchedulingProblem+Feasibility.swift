// Cheap checks for the common reasons a problem has no schedule, so that the error can say which
// target or limit cannot be met; GLPK would only say "no primal feasible solution".
//
// For one device on its own the forward sweep below is exact: the states of charge reachable at the
// end of each slot form an interval, widened by the device's power and narrowed by its SOC limits
// and targets; the problem is feasible exactly when no interval becomes empty. Only a site connection
// couples devices, and what it makes infeasible is left to GLPK's verdict.

extension SchedulingProblem {
    /// Throws `.infeasible` with a reason when a pre-check proves that no schedule exists.
    ///
    /// Passing does not prove feasibility when a site connection couples several devices.
    /// Call on a validated problem.
    func checkFeasibility() throws(SchedulingError) {
        for (index, device) in devices.enumerated() {
            let label = device.name.isEmpty ? (devices.count > 1 ? "device \(index): " : "") : "\(device.name): "
            try device.checkFeasibility(
                slotHours: slotHours, slotCount: slotCount, label: label, field: "devices[\(index)]"
            )
        }
        if let siteConnection {
            try checkFeasibility(of: siteConnection)
        }
    }

    private func checkFeasibility(of site: SiteConnection) throws(SchedulingError) {
        if let minPower = site.minPower, let maxPower = site.maxPower, minPower > maxPower {
            throw .infeasible(
                "the site's minimum power of \(mw(minPower)) MW is above its maximum of \(mw(maxPower)) MW",
                field: "siteConnection"
            )
        }
        let lowest = devices.reduce(0) { $0 + $1.lowestPower }
        let highest = devices.reduce(0) { $0 + $1.highestPower }
        for slot in 0..<slotCount {
            let inflexible = site.inflexiblePower(inSlot: slot)
            if let maxPower = site.maxPower, lowest + inflexible > maxPower + tolerance(maxPower) {
                throw .infeasible(
                    "in slot \(slot) the site draws at least \(mw(lowest + inflexible)) MW, "
                        + "above its maximum of \(mw(maxPower)) MW",
                    field: "siteConnection.maxPower"
                )
            }
            if let minPower = site.minPower, highest + inflexible < minPower - tolerance(minPower) {
                throw .infeasible(
                    "in slot \(slot) the site draws at most \(mw(highest + inflexible)) MW, "
                        + "below its minimum of \(mw(minPower)) MW",
                    field: "siteConnection.minPower"
                )
            }
        }
    }
}

extension StorageDevice {
    fileprivate func checkFeasibility(
        slotHours: Double, slotCount: Int, label: String, field: String
    ) throws(SchedulingError) {
        let lower = effectiveMinSOC
        let upper = effectiveMaxSOC ?? .infinity
        if lower > upper {
            throw .infeasible(
                "\(label)the minimum SOC of \(mwh(lower)) MWh is above the maximum SOC of \(mwh(upper)) MWh",
                field: "\(field).minSOC"
            )
        }
        var targetBySlot = [Int: Double]()
        for (index, target) in targets.enumerated() {
            let targetField = "\(field).targets[\(index)]"
            let what = "\(label)target of \(mwh(target.soc)) MWh at slot \(target.slot)"
            if target.soc > upper + tolerance(upper) {
                throw .infeasible("\(what) is above the maximum SOC of \(mwh(upper)) MWh", field: targetField)
            }
            if target.soc < lower - tolerance(lower) {
                throw .infeasible("\(what) is below the minimum SOC of \(mwh(lower)) MWh", field: targetField)
            }
            if let other = targetBySlot[target.slot], abs(other - target.soc) > tolerance(other) {
                throw .infeasible(
                    "\(what) contradicts the target of \(mwh(other)) MWh at the same slot", field: targetField
                )
            }
            targetBySlot[target.slot] = target.soc
        }

        // The SOC moves by at most these amounts per slot.
        let rise = highestPower * slotHours * chargingEfficiency
        let fall = lowestPower * slotHours / dischargingEfficiency
        var low = socAtStart
        var high = socAtStart
        var anchor = "\(mwh(socAtStart)) MWh"
        for slot in 0..<slotCount {
            low += fall
            high += rise
            if high < lower - tolerance(lower) {
                throw .infeasible(
                    "\(label)the minimum SOC of \(mwh(lower)) MWh cannot be reached by the end of slot \(slot) "
                        + "from \(anchor) at \(chargingPower)",
                    field: "\(field).minSOC"
                )
            }
            if low > upper + tolerance(upper) {
                throw .infeasible(
                    "\(label)the SOC cannot come down to the maximum of \(mwh(upper)) MWh by the end of slot \(slot) "
                        + "from \(anchor)\(dischargingPower)",
                    field: kind.isChargingStation ? "\(field).targets" : "\(field).maxSOC"
                )
            }
            low = Swift.max(low, lower)
            high = Swift.min(high, upper)
            guard let target = targetBySlot[slot] else { continue }
            let what = "\(label)target of \(mwh(target)) MWh at slot \(slot)"
            let targetField = "\(field).targets"
            if target > high + tolerance(target) {
                throw .infeasible("\(what) cannot be reached from \(anchor) at \(chargingPower)", field: targetField)
            }
            if target < low - tolerance(target) {
                throw .infeasible("\(what) cannot be reached from \(anchor)\(dischargingPower)", field: targetField)
            }
            low = target
            high = target
            anchor = "\(mwh(target)) MWh (the target at slot \(slot))"
        }
    }

    private var chargingPower: String {
        let power = "\(mw(highestPower)) MW"
        return chargingEfficiency == 1 ? power : "\(power) with a charging efficiency of \(chargingEfficiency)"
    }

    private var dischargingPower: String {
        if kind == .oneWayEVSE { return ": a one-way EVSE cannot discharge" }
        let power = " at \(mw(highestPower)) MW"
        return dischargingEfficiency == 1 ? power : "\(power) with a discharging efficiency of \(dischargingEfficiency)"
    }
}

/// Slack for comparisons of the pre-checks: they must only reject what GLPK would reject too, so a
/// target reachable only at exactly full power stays feasible despite rounding.
private func tolerance(_ value: Double) -> Double {
    1e-9 * Swift.max(1, value.isFinite ? abs(value) : 1)
}

/// An energy for messages, rounded to a millionth so that 0.1 + 0.2 reads "0.3".
func mwh(_ value: Double) -> String { "\((value * 1e6).rounded() / 1e6)" }

/// A power for messages, rounded like `mwh`.
func mw(_ value: Double) -> String { mwh(value) }
