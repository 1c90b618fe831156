// GLPK aborts the whole process on a bad index or bound, so nothing reaches it unchecked: every count,
// index and number of a problem is checked here first, and a failure names the field to fix.

extension SchedulingProblem {
    /// Beyond this magnitude a number is a unit mistake, and it would cost GLPK its precision.
    static let largestMagnitude = 1e9

    /// Throws `.invalidInput` naming the first malformed field; says nothing about feasibility.
    public func validate() throws(SchedulingError) {
        try Self.requireReal(slotHours, "slotHours")
        guard slotHours > 0 else {
            throw .invalid("slotHours", "is \(slotHours); a slot must last longer than 0 hours")
        }
        guard !prices.isEmpty else { throw .invalid("prices", "is empty; at least one slot is needed") }
        for (slot, price) in prices.enumerated() {
            try Self.requireReal(price, "prices[\(slot)]")
        }
        guard !devices.isEmpty else { throw .invalid("devices", "is empty; at least one device is needed") }
        // GLPK indexes rows, columns and nonzeros with C ints.
        let nonzerosPerSlot = devices.reduce(0) { $0 + ($1.hasLosses ? 6 : 4) }
        guard prices.count <= Int(Int32.max) / 8 / nonzerosPerSlot else {
            throw .invalid("prices", "\(prices.count) slots for \(devices.count) devices is too large a problem")
        }
        for (index, device) in devices.enumerated() {
            try device.validate(field: "devices[\(index)]", slotCount: prices.count)
        }
        if let siteConnection {
            try siteConnection.validate(field: "siteConnection", slotCount: prices.count)
        }
        guard mixedIntegerTimeLimit >= .milliseconds(1), mixedIntegerTimeLimit <= .milliseconds(Int32.max) else {
            throw .invalid(
                "mixedIntegerTimeLimit", "is \(mixedIntegerTimeLimit); it must be from 1 ms to \(Int32.max) ms"
            )
        }
    }

    static func requireReal(_ value: Double, _ field: String) throws(SchedulingError) {
        guard value.isFinite else { throw .invalid(field, "is \(value); it must be a finite number") }
        guard abs(value) <= largestMagnitude else {
            throw .invalid(field, "is \(value); its magnitude must be at most \(largestMagnitude)")
        }
    }
}

extension StorageDevice {
    func validate(field: String, slotCount: Int) throws(SchedulingError) {
        try SchedulingProblem.requireReal(socAtStart, "\(field).socAtStart")
        try SchedulingProblem.requireReal(minSOC, "\(field).minSOC")
        if let maxSOC { try SchedulingProblem.requireReal(maxSOC, "\(field).maxSOC") }
        try SchedulingProblem.requireReal(capacity, "\(field).capacity")
        guard capacity >= 0 else { throw .invalid("\(field).capacity", "is \(capacity) MW; it must not be negative") }
        let efficiencies = [("chargingEfficiency", chargingEfficiency), ("dischargingEfficiency", dischargingEfficiency)]
        for (name, efficiency) in efficiencies {
            guard efficiency > 0, efficiency <= 1 else {
                throw .invalid("\(field).\(name)", "is \(efficiency); it must be above 0 and at most 1")
            }
        }
        for (index, target) in targets.enumerated() {
            guard (0..<slotCount).contains(target.slot) else {
                throw .invalid(
                    "\(field).targets[\(index)].slot",
                    "is \(target.slot); the horizon has slots 0 to \(slotCount - 1)"
                )
            }
            try SchedulingProblem.requireReal(target.soc, "\(field).targets[\(index)].soc")
        }
    }
}

extension SiteConnection {
    func validate(field: String, slotCount: Int) throws(SchedulingError) {
        if let maxPower { try SchedulingProblem.requireReal(maxPower, "\(field).maxPower") }
        if let minPower { try SchedulingProblem.requireReal(minPower, "\(field).minPower") }
        guard inflexiblePower.isEmpty || inflexiblePower.count == slotCount else {
            throw .invalid(
                "\(field).inflexiblePower",
                "has \(inflexiblePower.count) values for \(slotCount) slots; give one per slot, or none"
            )
        }
        for (slot, power) in inflexiblePower.enumerated() {
            try SchedulingProblem.requireReal(power, "\(field).inflexiblePower[\(slot)]")
        }
    }
}
