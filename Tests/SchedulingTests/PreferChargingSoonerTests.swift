import Testing
@testable import Scheduling

/// The reference's tie-breaking slope (7.2.1): among equal prices, charge sooner and discharge later.
struct PreferChargingSoonerTests {
    static let flat: [Double] = Array(repeating: 50, count: 8)

    @Test func equalPricesChargeInTheEarliestSlots() throws {
        let battery = Fixtures.battery(maxSOC: 2, targets: [SOCTarget(slot: 7, soc: 2)])
        let problem = Fixtures.problem(prices: Self.flat, devices: [battery], preferChargingSooner: true)
        let schedule = try Scheduler.schedule(problem)
        #expect(schedule.power[0] == [1, 1, 0, 0, 0, 0, 0, 0])
        #expect(abs(schedule.cost - 100) < 1e-9)
    }

    @Test func equalPricesDischargeInTheLatestSlots() throws {
        let battery = Fixtures.battery(socAtStart: 2, maxSOC: 2, targets: [SOCTarget(slot: 7, soc: 0)])
        let problem = Fixtures.problem(prices: Self.flat, devices: [battery], preferChargingSooner: true)
        let schedule = try Scheduler.schedule(problem)
        #expect(schedule.power[0] == [0, 0, 0, 0, 0, 0, -1, -1])
    }

    @Test func slopeRisesByAThousandthOfTheSpreadOverTheHorizon() {
        let prices = [100.0, 90, 95, 100, 90]
        let sloped = Fixtures.problem(prices: prices, devices: [Fixtures.battery()], preferChargingSooner: true).objectivePrices
        // Spread 10 EUR/MWh: 0.01 EUR/MWh spread evenly over the four steps.
        let expected = [100.0, 90.0025, 95.005, 100.0075, 90.01]
        for (value, wanted) in zip(sloped, expected) {
            #expect(abs(value - wanted) < 1e-12)
        }
    }

    @Test func flatPricesGetASlopeOfAThousandthOfAEuro() {
        let sloped = Fixtures.problem(prices: Self.flat, devices: [Fixtures.battery()], preferChargingSooner: true).objectivePrices
        #expect(sloped.first == 50)
        #expect(abs(sloped.last! - 50.001) < 1e-12)
    }

    @Test func slopeIsOffWhenSwitchedOffOrWithASingleSlot() {
        #expect(Fixtures.problem(prices: Self.flat, devices: [Fixtures.battery()]).objectivePrices == Self.flat)
        #expect(Fixtures.problem(prices: [42], devices: [Fixtures.battery()], preferChargingSooner: true).objectivePrices == [42])
    }

    @Test func slopeNeverOutweighsARealPriceDifference() throws {
        // One cent cheaper in the last slot wins over the slope's pull to the first. (A battery would also
        // charge at the first 50 and sell at the third: the slope makes that a hundredth of a cent cheaper.)
        let prices = [50, 50, 50, 49.99]
        let car = StorageDevice(kind: .oneWayEVSE, capacity: 1, targets: [SOCTarget(slot: 3, soc: 1)])
        let schedule = try Scheduler.schedule(Fixtures.problem(prices: prices, devices: [car], preferChargingSooner: true))
        #expect(schedule.power[0] == [0, 0, 0, 1])
    }
}
