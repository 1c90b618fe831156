import Testing
@testable import Scheduling

/// Charging and discharging losses, beyond the reference (which has none, the default).
struct EfficiencyTests {
    @Test func chargingOneMWhAtNinetyPercentStoresPointNine() throws {
        let battery = Fixtures.battery(maxSOC: 5, chargingEfficiency: 0.9)
        let problem = Fixtures.problem(prices: [-10], devices: [battery])
        let schedule = try Scheduler.schedule(problem)
        #expect(abs(schedule.power[0][0] - 1) < 1e-9)
        #expect(abs(schedule.stateOfCharge[0][0] - 0.9) < 1e-9)
    }

    @Test func reachingATargetThroughLossesDrawsMoreFromTheGrid() throws {
        let battery = Fixtures.battery(maxSOC: 5, targets: [SOCTarget(slot: 0, soc: 0.45)], chargingEfficiency: 0.9)
        let schedule = try Scheduler.schedule(Fixtures.problem(prices: [50], devices: [battery]))
        #expect(abs(schedule.power[0][0] - 0.5) < 1e-9)
    }

    @Test func dischargingDeliversLessThanItTakesFromStorage() throws {
        let battery = Fixtures.battery(socAtStart: 1, targets: [SOCTarget(slot: 0, soc: 0)], dischargingEfficiency: 0.8)
        let schedule = try Scheduler.schedule(Fixtures.problem(prices: [50], devices: [battery]))
        #expect(abs(schedule.power[0][0] - -0.8) < 1e-9)
        #expect(abs(schedule.cost - -40) < 1e-9)
    }

    @Test func lossesMakeASmallSpreadNotWorthACycle() throws {
        // 0.9 x 0.9 = 0.81 round trip: buying at 10 and selling at 11 loses money; at 20 it pays.
        let lossy = Fixtures.battery(chargingEfficiency: 0.9, dischargingEfficiency: 0.9)
        let small = try Scheduler.schedule(Fixtures.problem(prices: [10, 11], devices: [lossy]))
        #expect(small.power[0].allSatisfy { abs($0) < 1e-9 })
        let large = try Scheduler.schedule(Fixtures.problem(prices: [10, 20], devices: [lossy]))
        #expect(abs(large.power[0][0] - 1) < 1e-9)
        #expect(abs(large.power[0][1] - -0.81) < 1e-9)
        #expect(abs(large.cost - (10 - 0.81 * 20)) < 1e-9)
    }

    @Test func perfectEfficienciesGiveTheReferenceSchedule() throws {
        let reference = Fixtures.battery(capacity: 2, socAtStart: 2.5, maxSOC: 5)
        var explicit = reference
        explicit.chargingEfficiency = 1
        explicit.dischargingEfficiency = 1
        let problem = SchedulingProblem(slotHours: 0.25, prices: Fixtures.dayOfPrices, devices: [reference])
        var same = problem
        same.devices = [explicit]
        #expect(try Scheduler.schedule(problem) == Scheduler.schedule(same))
    }
}
