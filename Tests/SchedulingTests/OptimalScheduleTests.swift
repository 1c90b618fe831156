import Testing
@testable import Scheduling

/// Optima that can be checked by hand, and the accounting of power, SOC and cost.
struct OptimalScheduleTests {
    @Test func fourSlotBatteryChargesInTheCheapSlotsAndDischargesInTheDearOnes() throws {
        // 1 MWh of room: charge at 10, sell at 50, charge at 20, sell at 80: 10 - 50 + 20 - 80 = -100 EUR.
        let problem = Fixtures.problem(prices: [10, 50, 20, 80], devices: [Fixtures.battery()])
        let schedule = try Scheduler.schedule(problem)
        #expect(schedule.power[0] == [1, -1, 1, -1])
        #expect(abs(schedule.cost - -100) < 1e-9)
    }

    @Test func batteryCyclesOnlyOnTheSpreadsThatPay() throws {
        // Starting full: sell at 90 first, buy back at 20, sell again at 70; 40 and 40 are not worth it.
        let problem = Fixtures.problem(prices: [90, 40, 20, 40, 70], devices: [Fixtures.battery(socAtStart: 1)])
        let schedule = try Scheduler.schedule(problem)
        #expect(schedule.power[0] == [-1, 0, 1, 0, -1])
        #expect(abs(schedule.cost - (-90 + 20 - 70)) < 1e-9)
    }

    @Test func referenceDayTwoEmptiesFillsAndEmptiesTheBattery() throws {
        // FlexMeasures 0.2.4's test_battery_solver_day_2: SOC 0 at 08:00, 5 at 16:00 and 0 at midnight.
        let battery = StorageDevice(kind: .battery, socAtStart: 2.5, minSOC: 0, maxSOC: 5, capacity: 2)
        let problem = SchedulingProblem(slotHours: 0.25, prices: Fixtures.dayTwoPrices, devices: [battery])
        let schedule = try Scheduler.schedule(problem)
        let soc = schedule.stateOfCharge[0]
        #expect(abs(soc[31]) < 1e-9)
        #expect(abs(soc[63] - 5) < 1e-9)
        #expect(abs(soc[95]) < 1e-9)
        #expect(abs(schedule.cost - -300) < 1e-9)
    }

    @Test func targetsAreMetExactly() throws {
        let targets = [SOCTarget(slot: 30, soc: 1.7), SOCTarget(slot: 60, soc: 0.35), SOCTarget(slot: 95, soc: 1.25)]
        let battery = Fixtures.battery(socAtStart: 0.5, maxSOC: 2, targets: targets)
        let problem = SchedulingProblem(slotHours: 0.25, prices: Fixtures.dayOfPrices, devices: [battery])
        let schedule = try Scheduler.schedule(problem)
        for target in targets {
            #expect(abs(schedule.stateOfCharge[0][target.slot] - target.soc) < 1e-9)
        }
    }

    @Test func socAndPowerStayWithinTheDeviceLimits() throws {
        let battery = Fixtures.battery(capacity: 0.8, socAtStart: 1, minSOC: 0.4, maxSOC: 1.6)
        let problem = SchedulingProblem(slotHours: 0.25, prices: Fixtures.dayOfPrices, devices: [battery])
        let schedule = try Scheduler.schedule(problem)
        #expect(schedule.power[0].allSatisfy { $0 >= -0.8 && $0 <= 0.8 })
        #expect(schedule.stateOfCharge[0].allSatisfy { $0 >= 0.4 - 1e-9 && $0 <= 1.6 + 1e-9 })
        // The dip is worth a full cycle: the limits, not the prices, decide how far it goes.
        #expect(abs(schedule.stateOfCharge[0].min()! - 0.4) < 1e-9)
        #expect(abs(schedule.stateOfCharge[0].max()! - 1.6) < 1e-9)
    }

    @Test func stateOfChargeIsTheStartPlusThePowerOverTime() throws {
        let battery = Fixtures.battery(capacity: 2, socAtStart: 2.5, maxSOC: 5)
        let problem = SchedulingProblem(slotHours: 0.25, prices: Fixtures.dayOfPrices, devices: [battery])
        let schedule = try Scheduler.schedule(problem)
        let recomputed = socFromPower(schedule.power[0], start: 2.5, slotHours: 0.25)
        for (reported, expected) in zip(schedule.stateOfCharge[0], recomputed) {
            #expect(abs(reported - expected) < 1e-9)
        }
    }

    @Test func costIsPriceTimesPowerTimesSlotLengthWithoutTheSlope() throws {
        let battery = Fixtures.battery(capacity: 2, socAtStart: 2.5, maxSOC: 5)
        let problem = SchedulingProblem(slotHours: 0.25, prices: Fixtures.dayOfPrices, devices: [battery])
        let schedule = try Scheduler.schedule(problem)
        let expected = zip(Fixtures.dayOfPrices, schedule.power[0]).reduce(0) { $0 + $1.0 * $1.1 * 0.25 }
        #expect(abs(schedule.cost - expected) < 1e-9)
    }

    @Test func zeroCapacityDeviceStaysIdle() throws {
        let problem = Fixtures.problem(prices: [10, 50], devices: [Fixtures.battery(capacity: 0, socAtStart: 0.5)])
        let schedule = try Scheduler.schedule(problem)
        #expect(schedule.power[0] == [0, 0])
        #expect(schedule.stateOfCharge[0] == [0.5, 0.5])
    }

    @Test func batteryWithoutMaximumAbsorbsNegativePricesAtFullPower() throws {
        let problem = Fixtures.problem(prices: [-20, -10, -30], devices: [Fixtures.battery(capacity: 2, maxSOC: nil)])
        let schedule = try Scheduler.schedule(problem)
        #expect(schedule.power[0] == [2, 2, 2])
        #expect(abs(schedule.cost - -120) < 1e-9)
    }
}
