// Cheap checks for the common reasons a problem has no schedule, so that the error can say which
// target or limit cannot be met; GLPK would only say "no primal feasible solution".
//
// For one device on its own the forward sweep below is exact: the states of charge reachable at the
// end of each slot form an interval, widened by the device's power and narrowed by its SOC limits
// and targets; the problem is feasible exactly when no interval becomes empty. Only a site connection
// couples devices. For it the checks below are necessary conditions, not sufficient ones: the connection
// must fit the inflexible load and the devices' least power in every slot, and over every window ending at
// a target slot the energy the devices need must fit through its maximum. What else it makes infeasible
// is left to GLPK's verdict.

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
        if let maxPower = site.maxPower {
            try checkEnergyNeeded(through: site, maxPower: maxPower)
        }
    }

    /// Over slots `first...last`, each device draws at least the energy that lifts its SOC from the most it
    /// can have at the start of `first` to the least it must have at the end of `last`: storing e MWh
    /// takes e / etaC from the grid, and releasing e MWh gives at most etaD x e back (burning energy in
    /// the losses only draws more). Their sum must fit through the connection's maximum less the
    /// inflexible load over the window. Windows end at target slots and start at slot 0 or just after one.
    private func checkEnergyNeeded(through site: SiteConnection, maxPower: Double) throws(SchedulingError) {
        let targetSlots = Set(devices.flatMap { $0.targets.map(\.slot) }).sorted()
        guard !targetSlots.isEmpty else { return }
        // allowed[j]: MWh the devices may draw together over slots 0..<j.
        var allowed = [0.0]
        allowed.reserveCapacity(slotCount + 1)
        for slot in 0..<slotCount {
            allowed.append(allowed[slot] + (maxPower - site.inflexiblePower(inSlot: slot)) * slotHours)
        }
        let bounds = devices.map { $0.socBounds(slotHours: slotHours, slotCount: slotCount) }
        for last in targetSlots {
            for first in [0] + targetSlots.lazy.filter({ $0 < last }).map({ $0 + 1 }) {
                let slots = Double(last - first + 1)
                var needs: [(index: Int, energy: Double)] = []
                for (index, device) in devices.enumerated() {
                    let start = first == 0 ? device.socAtStart : bounds[index].upper[first - 1]
                    let rise = bounds[index].lower[last] - start
                    let energy = rise >= 0 ? rise / device.chargingEfficiency : rise * device.dischargingEfficiency
                    needs.append((index, Swift.max(energy, device.lowestPower * slots * slotHours)))
                }
                let needed = needs.reduce(0) { $0 + $1.energy }
                let available = allowed[last + 1] - allowed[first]
                guard needed > available + tolerance(Swift.max(abs(needed), abs(available))) else { continue }
                let named = needs.filter { $0.energy > 0 }.map { need in
                    let device = devices[need.index]
                    let name = device.name.isEmpty ? "device \(need.index)" : device.name
                    return "\(name): \(mwh(need.energy)) MWh"
                }
                let inflexible = site.inflexiblePower.isEmpty ? "" : " less the inflexible load"
                throw .infeasible(
                    "the devices' targets by the end of slot \(last) need at least \(mwh(needed)) MWh from the grid "
                        + "over slots \(first) to \(last) (\(named.joined(separator: ", "))), but the site connection's "
                        + "maximum of \(mw(maxPower)) MW\(inflexible) lets through at most \(mwh(available)) MWh",
                    field: "siteConnection.maxPower"
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

    /// Per slot, the least and the most SOC the device can have at the slot's end in any schedule that
    /// meets its own limits and targets: the forward sweep's interval, narrowed by what the later targets
    /// still need. Call on a device that passed `checkFeasibility`.
    fileprivate func socBounds(slotHours: Double, slotCount: Int) -> (lower: [Double], upper: [Double]) {
        let rise = highestPower * slotHours * chargingEfficiency
        let fall = -lowestPower * slotHours / dischargingEfficiency
        var targetBySlot = [Int: Double]()
        for target in targets { targetBySlot[target.slot] = target.soc }
        var lower = [Double](repeating: effectiveMinSOC, count: slotCount)
        var upper = [Double](repeating: effectiveMaxSOC ?? .infinity, count: slotCount)
        var low = socAtStart
        var high = socAtStart
        for slot in 0..<slotCount {
            low = Swift.max(low - fall, lower[slot])
            high = Swift.min(high + rise, upper[slot])
            if let target = targetBySlot[slot] {
                low = target
                high = target
            }
            lower[slot] = low
            upper[slot] = high
        }
        for slot in stride(from: slotCount - 2, through: 0, by: -1) {
            lower[slot] = Swift.max(lower[slot], lower[slot + 1] - rise)
            upper[slot] = Swift.min(upper[slot], upper[slot + 1] + fall)
        }
        return (lower, upper)
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
