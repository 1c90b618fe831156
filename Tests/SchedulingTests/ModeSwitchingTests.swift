import Foundation
import Testing
@testable import Scheduling

/// With losses, no device charges and discharges in the same slot: the mixed-integer program, used only
/// when the linear program's optimum would, checked against scipy's independent optimum.
struct ModeSwitchingTests {
    /// A variant of the charging site: its devices' efficiencies and the prices they see.
    struct Variant: CustomTestStringConvertible, Sendable {
        let name: String
        let efficiency: Double
        let prices: [Double]
        var testDescription: String { name }
    }

    /// A day of hourly prices, `dip` lower from 10:00 to 17:00 (the sun).
    static func dayPrices(dip: Double) -> [Double] {
        let prices: [Double] = [42, 38, 35, 33, 34, 40, 55, 68, 72, 60, 45, 30, 30, 28, 25, 35, 48, 65, 80, 85, 70, 58, 50, 45]
        return prices.enumerated().map { hour, price in (10..<17).contains(hour) ? price - dip : price }
    }

    static let variants = [
        Variant(name: "lossless, positive prices", efficiency: 1, prices: dayPrices(dip: 10)),
        Variant(name: "lossless, negative midday prices", efficiency: 1, prices: dayPrices(dip: 60)),
        Variant(name: "losses of 10 %, negative midday prices", efficiency: 0.9, prices: dayPrices(dip: 60)),
    ]

    /// Four one-way charge points of 0.5 MW (2 MW together) and a 1 MW / 2 MWh battery behind a connection
    /// of 1.6 MW import and 1 MW export, with a building's load; each car leaves at its own hour.
    static func chargingSite(_ variant: Variant) -> SchedulingProblem {
        let departures = [(slot: 7, soc: 2.0), (slot: 9, soc: 1.8), (slot: 17, soc: 3.0), (slot: 21, soc: 2.5)]
        let cars = departures.enumerated().map { index, departure in
            StorageDevice(
                name: "charge point \(index + 1)", kind: .oneWayEVSE, socAtStart: 0.2, capacity: 0.5,
                targets: [SOCTarget(slot: departure.slot, soc: departure.soc)],
                chargingEfficiency: variant.efficiency
            )
        }
        let battery = Fixtures.battery(
            capacity: 1, socAtStart: 1, minSOC: 0.2, maxSOC: 2, targets: [SOCTarget(slot: 23, soc: 1)],
            chargingEfficiency: variant.efficiency, dischargingEfficiency: variant.efficiency
        )
        let building = (0..<24).map { (hour: Int) -> Double in
            let share = Double((hour + 3) % 12) / 11
            return 0.2 + 0.3 * share
        }
        return Fixtures.problem(
            prices: variant.prices, devices: [battery] + cars,
            siteConnection: SiteConnection(maxPower: 1.6, minPower: -1, inflexiblePower: building)
        )
    }

    /// A 1 MW / 2 MWh battery with 90 % efficiencies and three negative hours, more than it can store.
    static let negativePrices = Fixtures.problem(
        prices: [30, 20, -40, -50, -45, 10, 60, 80],
        devices: [
            Fixtures.battery(
                capacity: 1, socAtStart: 0.5, maxSOC: 2, chargingEfficiency: 0.9, dischargingEfficiency: 0.9
            )
        ]
    )

    @Test(arguments: variants)
    func chargingSiteKeepsTheConnectionMeetsEveryTargetAndCostsScipysOptimum(_ variant: Variant) throws {
        let problem = Self.chargingSite(variant)
        let schedule = try Scheduler.schedule(problem)
        let site = try #require(problem.siteConnection)
        for (slot, total) in schedule.totalPower.enumerated() {
            let drawn = total + site.inflexiblePower[slot]
            #expect(drawn <= 1.6 + 1e-9 && drawn >= -1 - 1e-9, "slot \(slot) draws \(drawn) MW")
        }
        for (index, device) in problem.devices.enumerated() {
            for target in device.targets {
                #expect(abs(schedule.stateOfCharge[index][target.slot] - target.soc) < 1e-7, "\(device.name)")
            }
            #expect(followsOneMode(schedule, problem, device: index), "\(device.name)")
        }
        // The connection is the binding limit: without it the cars would charge together in the cheap hours.
        #expect(problem.devices.dropFirst().reduce(0) { $0 + $1.capacity } > 1.6)
        let reference = try ReferenceOptimum(of: problem)
        #expect(isClose(schedule.cost, to: reference.cost), "appliance \(schedule.cost), scipy \(reference.cost)")
        #expect(!schedule.usedFallback)
        // With losses and negative prices, forbidding the burn costs something: the MIP had work to do.
        #expect((reference.relaxedCost < reference.cost - 1e-6) == (variant.efficiency < 1))
        #expect((schedule.solution == .mixedInteger) == (variant.efficiency < 1))
    }

    @Test func negativePricesWithLossesNeverChargeAndDischargeAtOnce() throws {
        let schedule = try Scheduler.schedule(Self.negativePrices)
        #expect(schedule.solution == .mixedInteger)
        #expect(followsOneMode(schedule, Self.negativePrices, device: 0))
        let reference = try ReferenceOptimum(of: Self.negativePrices)
        #expect(isClose(schedule.cost, to: reference.cost), "appliance \(schedule.cost), scipy \(reference.cost)")
        // Without the rule the plan would burn energy in the losses and claim to be cheaper: the case bites.
        #expect(reference.relaxedCost < reference.cost - 1e-3)
    }

    @Test func quarterHourSiteWithAnExportLimitMatchesScipysOptimum() throws {
        // A day of quarter-hours with a negative midday, a small battery and a vehicle-to-grid charge point,
        // both lossy, behind a connection that exports at most 0.5 MW: binaries in several rounds.
        let car = StorageDevice(
            name: "charge point", kind: .twoWayEVSE, socAtStart: 0.3, capacity: 0.4,
            targets: [SOCTarget(slot: 71, soc: 1.2)], chargingEfficiency: 0.92, dischargingEfficiency: 0.92
        )
        let battery = Fixtures.battery(
            capacity: 1, socAtStart: 0.5, maxSOC: 1, chargingEfficiency: 0.9, dischargingEfficiency: 0.85
        )
        let problem = Fixtures.problem(
            prices: Fixtures.dayOfPrices, devices: [battery, car], slotHours: 0.25,
            siteConnection: SiteConnection(maxPower: 1.2, minPower: -0.5)
        )
        let schedule = try Scheduler.schedule(problem)
        #expect(schedule.solution == .mixedInteger)
        #expect(followsOneMode(schedule, problem, device: 0))
        #expect(followsOneMode(schedule, problem, device: 1))
        #expect(schedule.totalPower.allSatisfy { $0 <= 1.2 + 1e-9 && $0 >= -0.5 - 1e-9 })
        let reference = try ReferenceOptimum(of: problem)
        #expect(isClose(schedule.cost, to: reference.cost), "appliance \(schedule.cost), scipy \(reference.cost)")
        #expect(reference.relaxedCost < reference.cost - 1e-6)
    }

    @Test func losslessDevicesStayALinearProgramEvenAtNegativePrices() throws {
        var problem = Self.negativePrices
        problem.devices[0].chargingEfficiency = 1
        problem.devices[0].dischargingEfficiency = 1
        #expect(try Scheduler.schedule(problem).solution == .linearProgram)
    }

    @Test func lossesAtPositivePricesStayALinearProgram() throws {
        var problem = Self.negativePrices
        problem.prices = problem.prices.map { abs($0) }
        let schedule = try Scheduler.schedule(problem)
        #expect(schedule.solution == .linearProgram)
        #expect(followsOneMode(schedule, problem, device: 0))
    }

    @Test func timeLimitGivesTheBestPlanFoundAndSaysSo() throws {
        // A week of quarter-hours with a negative midday every day: more branching than a millisecond allows.
        let prices = (0..<672).map { slot -> Double in
            let hour = Double(slot % 96) / 4
            let wiggle: Double = 25 * sin(Double(slot) * 0.37)
            let solar: Double = 150 * Swift.max(0, 1 - abs(hour - 13) / 3)
            return 40 + wiggle - solar
        }
        var problem = SchedulingProblem(
            slotHours: 0.25, prices: prices,
            devices: [
                Fixtures.battery(capacity: 2, socAtStart: 2.5, maxSOC: 5, chargingEfficiency: 0.9, dischargingEfficiency: 0.85)
            ]
        )
        problem.mixedIntegerTimeLimit = .milliseconds(1)
        let schedule = try Scheduler.schedule(problem)
        #expect(schedule.usedFallback)
        guard case .mixedIntegerAtTimeLimit(let gap) = schedule.solution else {
            Issue.record("expected the incumbent at the time limit, got \(schedule.solution)")
            return
        }
        #expect(gap >= 0)
        #expect(schedule.solverNote?.contains("time limit") == true)
        // The incumbent is a plan the battery can follow, within its limits.
        #expect(followsOneMode(schedule, problem, device: 0))
        #expect(schedule.stateOfCharge[0].allSatisfy { $0 >= -1e-9 && $0 <= 5 + 1e-9 })
    }

    @Test func proofOfOptimalityCarriesNoNote() throws {
        let schedule = try Scheduler.schedule(Self.negativePrices)
        #expect(!schedule.usedFallback)
        #expect(schedule.solverNote == nil)
    }

    @Test func targetReachableOnlyByBurningEnergyIsInfeasible() throws {
        // A full battery behind a connection that must draw 0.5 MW: only charging and discharging at once
        // (at 50 % efficiency each way) would take the energy without storing it.
        let problem = Fixtures.problem(
            prices: [50],
            devices: [
                Fixtures.battery(socAtStart: 1, maxSOC: 1, chargingEfficiency: 0.5, dischargingEfficiency: 0.5)
            ],
            siteConnection: SiteConnection(minPower: 0.5)
        )
        let error = try #require(Fixtures.error(of: problem))
        #expect(error.kind == .infeasible)
        #expect(error.reason.contains("charging and discharging a device with losses in the same slot"), "\(error)")
    }
}

/// True when every slot's SOC change is what the device's net power gives in one direction only:
/// etaC x power when charging, power / etaD when discharging. A slot that charges and discharges at once
/// loses more than that.
func followsOneMode(_ schedule: Schedule, _ problem: SchedulingProblem, device index: Int) -> Bool {
    let device = problem.devices[index]
    var soc = device.socAtStart
    for slot in 0..<problem.slotCount {
        let power = schedule.power[index][slot]
        let stored = power >= 0 ? power * device.chargingEfficiency : power / device.dischargingEfficiency
        let next = schedule.stateOfCharge[index][slot]
        guard abs(next - soc - stored * problem.slotHours) < 1e-7 else { return false }
        soc = next
    }
    return true
}
