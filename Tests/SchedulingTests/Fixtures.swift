#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import Scheduling

/// Small problems the tests share; every number is chosen so that the optimum can be worked out by hand.
enum Fixtures {
    /// A 1 MW / 1 MWh battery, empty at start.
    static func battery(
        capacity: Double = 1, socAtStart: Double = 0, minSOC: Double = 0, maxSOC: Double? = 1, targets: [SOCTarget] = [],
        chargingEfficiency: Double = 1, dischargingEfficiency: Double = 1
    ) -> StorageDevice {
        StorageDevice(
            name: "battery", kind: .battery, socAtStart: socAtStart, minSOC: minSOC, maxSOC: maxSOC, capacity: capacity,
            targets: targets, chargingEfficiency: chargingEfficiency, dischargingEfficiency: dischargingEfficiency
        )
    }

    /// Hourly slots and no tie-breaking slope, so that costs are round numbers.
    static func problem(
        prices: [Double], devices: [StorageDevice], slotHours: Double = 1, siteConnection: SiteConnection? = nil,
        preferChargingSooner: Bool = false
    ) -> SchedulingProblem {
        SchedulingProblem(
            slotHours: slotHours, prices: prices, devices: devices, siteConnection: siteConnection,
            preferChargingSooner: preferChargingSooner
        )
    }

    /// The reference's day-2 prices: 8 hours at 100, 8 at 90, 8 at 100 EUR/MWh, in quarter-hours.
    static let dayTwoPrices: [Double] =
        Array(repeating: 100, count: 32) + Array(repeating: 90, count: 32) + Array(repeating: 100, count: 32)

    /// A day of quarter-hour prices with two peaks and a negative midday dip, as a windy, sunny day has.
    static let dayOfPrices: [Double] = (0..<96).map { slot in
        let hour = Double(slot) / 4
        let morning = 30 * exp(-(hour - 8) * (hour - 8) / 4)
        let evening = 40 * exp(-(hour - 19) * (hour - 19) / 5)
        let solarDip = -60 * exp(-(hour - 13) * (hour - 13) / 6)
        return ((45 + morning + evening + solarDip) * 100).rounded() / 100
    }

    /// The error a problem that should fail throws.
    static func error(of problem: SchedulingProblem) -> SchedulingError? {
        do {
            _ = try Scheduler.schedule(problem)
            return nil
        } catch {
            return error
        }
    }
}

/// The SOC a schedule implies for one lossless device, recomputed from its power.
func socFromPower(_ power: [Double], start: Double, slotHours: Double) -> [Double] {
    var soc = start
    return power.map { value in
        soc += value * slotHours
        return soc
    }
}
