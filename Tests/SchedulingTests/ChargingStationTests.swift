import Testing
@testable import Scheduling

/// Charging stations: one-way ones never discharge, and the SOC stays between 0 and the higher of the
/// highest target and the SOC at start (what the reference meant; its 0.2.4 code lost the upper bound).
struct ChargingStationTests {
    /// Dear first, cheap later: a station that could discharge would sell now and buy back later.
    static let fallingPrices: [Double] = [120, 110, 100, 20, 10, 15, 90, 100]

    @Test func oneWayEVSENeverDischargesEvenWhenSellingWouldPay() throws {
        let car = StorageDevice(
            kind: .oneWayEVSE, socAtStart: 3, capacity: 1, targets: [SOCTarget(slot: 7, soc: 5)]
        )
        let schedule = try Scheduler.schedule(Fixtures.problem(prices: Self.fallingPrices, devices: [car]))
        #expect(schedule.power[0].allSatisfy { $0 >= 0 })
        // 2 MWh in the two cheapest slots, at 10 and 15.
        #expect(schedule.power[0] == [0, 0, 0, 0, 1, 1, 0, 0])
    }

    @Test func twoWayEVSEArbitragesButNeverAboveItsHighestTarget() throws {
        let car = StorageDevice(
            kind: .twoWayEVSE, socAtStart: 3, minSOC: 2, maxSOC: 10, capacity: 1, targets: [SOCTarget(slot: 7, soc: 4)]
        )
        let schedule = try Scheduler.schedule(Fixtures.problem(prices: Self.fallingPrices, devices: [car]))
        let soc = schedule.stateOfCharge[0]
        #expect(soc.allSatisfy { $0 <= 4 + 1e-9 && $0 >= -1e-9 })
        // It sells down to 0 (the asset's minimum of 2 does not apply) at 120, 110 and 100, buys back at
        // 20, 10, 15 and 90, and cannot hold more than the 4 MWh of its target.
        #expect(schedule.power[0] == [-1, -1, -1, 1, 1, 1, 1, 0])
        #expect(abs(soc.min()!) < 1e-9)
        #expect(abs(soc[7] - 4) < 1e-9)
    }

    @Test func chargingStationUpperBoundIsTheStartWhenThatIsHigher() throws {
        let car = StorageDevice(
            kind: .twoWayEVSE, socAtStart: 5, capacity: 1, targets: [SOCTarget(slot: 7, soc: 2)]
        )
        #expect(car.effectiveMaxSOC == 5)
        #expect(car.effectiveMinSOC == 0)
        let schedule = try Scheduler.schedule(Fixtures.problem(prices: Self.fallingPrices, devices: [car]))
        #expect(schedule.stateOfCharge[0].allSatisfy { $0 <= 5 + 1e-9 })
        #expect(abs(schedule.stateOfCharge[0][7] - 2) < 1e-9)
    }

    @Test func chargingStationIgnoresTheAssetsSOCLimits() {
        let car = StorageDevice(
            kind: .oneWayEVSE, socAtStart: 0.012, minSOC: 0.01, maxSOC: 0.075, capacity: 0.011,
            targets: [SOCTarget(slot: 75, soc: 0.05), SOCTarget(slot: 40, soc: 0.03)]
        )
        #expect(car.effectiveMinSOC == 0)
        #expect(car.effectiveMaxSOC == 0.05)
    }

    @Test func batteryKeepsTheAssetsSOCLimits() {
        let battery = StorageDevice(kind: .battery, minSOC: 0.5, maxSOC: 4, capacity: 1, targets: [SOCTarget(slot: 3, soc: 2)])
        #expect(battery.effectiveMinSOC == 0.5)
        #expect(battery.effectiveMaxSOC == 4)
    }

    @Test func chargingStationWithoutTargetsHoldsItsCharge() throws {
        // Upper bound = SOC at start: a one-way station cannot add energy, whatever the price.
        let car = StorageDevice(kind: .oneWayEVSE, socAtStart: 0.02, capacity: 0.011)
        let schedule = try Scheduler.schedule(Fixtures.problem(prices: [-50, -40, -60], devices: [car]))
        #expect(schedule.power[0] == [0, 0, 0])
    }
}
