import Testing
@testable import Scheduling

/// Problems without a schedule are reported as infeasible, naming what cannot be met, never answered
/// with a plan.
struct InfeasibilityTests {
    /// One infeasible problem and the words its reason must contain.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let problem: SchedulingProblem
        let reason: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "target above the maximum SOC",
            problem: SchedulingProblem(
                slotHours: 0.25, prices: Array(repeating: 50, count: 96),
                devices: [StorageDevice(kind: .battery, socAtStart: 10, maxSOC: 20, capacity: 5, targets: [SOCTarget(slot: 63, soc: 25)])]
            ),
            reason: "target of 25.0 MWh at slot 63 is above the maximum SOC of 20.0 MWh"
        ),
        Case(
            name: "target below the minimum SOC",
            problem: Fixtures.problem(
                prices: [50, 60], devices: [Fixtures.battery(socAtStart: 0.5, minSOC: 0.2, targets: [SOCTarget(slot: 1, soc: 0.1)])]
            ),
            reason: "target of 0.1 MWh at slot 1 is below the minimum SOC of 0.2 MWh"
        ),
        Case(
            name: "target out of reach at the power limit",
            problem: SchedulingProblem(
                slotHours: 0.1, prices: Array(repeating: 50, count: 20),
                devices: [StorageDevice(kind: .battery, socAtStart: 0.5, maxSOC: 5, capacity: 2, targets: [SOCTarget(slot: 10, soc: 4.5)])]
            ),
            reason: "target of 4.5 MWh at slot 10 cannot be reached from 0.5 MWh at 2.0 MW"
        ),
        Case(
            name: "second target out of reach from the first",
            problem: Fixtures.problem(
                prices: [50, 60, 70, 80],
                devices: [
                    StorageDevice(
                        kind: .battery, maxSOC: 10, capacity: 1,
                        targets: [SOCTarget(slot: 2, soc: 0.5), SOCTarget(slot: 1, soc: 2)]
                    )
                ]
            ),
            reason: "target of 0.5 MWh at slot 2 cannot be reached from 2.0 MWh (the target at slot 1) at 1.0 MW"
        ),
        Case(
            name: "minimum SOC above the maximum",
            problem: Fixtures.problem(prices: [50], devices: [Fixtures.battery(minSOC: 3, maxSOC: 2)]),
            reason: "the minimum SOC of 3.0 MWh is above the maximum SOC of 2.0 MWh"
        ),
        Case(
            name: "one-way EVSE asked to give energy back",
            problem: Fixtures.problem(
                prices: [50, 60], devices: [StorageDevice(kind: .oneWayEVSE, socAtStart: 0.04, capacity: 0.011, targets: [SOCTarget(slot: 1, soc: 0.03)])]
            ),
            reason: "target of 0.03 MWh at slot 1 cannot be reached from 0.04 MWh: a one-way EVSE cannot discharge"
        ),
        Case(
            name: "two different targets for one slot",
            problem: Fixtures.problem(
                prices: [50, 60], devices: [Fixtures.battery(targets: [SOCTarget(slot: 1, soc: 0.5), SOCTarget(slot: 1, soc: 0.7)])]
            ),
            reason: "target of 0.7 MWh at slot 1 contradicts the target of 0.5 MWh at the same slot"
        ),
        Case(
            name: "start below the minimum SOC and too far to climb",
            problem: Fixtures.problem(prices: [50, 60], devices: [Fixtures.battery(capacity: 0.5, minSOC: 0.8)]),
            reason: "the minimum SOC of 0.8 MWh cannot be reached by the end of slot 0 from 0.0 MWh at 0.5 MW"
        ),
        Case(
            name: "site minimum above its maximum",
            problem: Fixtures.problem(
                prices: [50], devices: [Fixtures.battery()], siteConnection: SiteConnection(maxPower: 1, minPower: 2)
            ),
            reason: "the site's minimum power of 2.0 MW is above its maximum of 1.0 MW"
        ),
        Case(
            name: "inflexible load above the site maximum",
            problem: Fixtures.problem(
                prices: [50, 50], devices: [StorageDevice(kind: .oneWayEVSE, capacity: 1)],
                siteConnection: SiteConnection(maxPower: 1, inflexiblePower: [0.5, 1.5])
            ),
            reason: "in slot 1 the site draws at least 1.5 MW, above its maximum of 1.0 MW"
        ),
        Case(
            // Each car alone is fine; together they need 2 MWh in an hour through a 1.5 MW connection.
            name: "targets that only the shared connection makes impossible",
            problem: Fixtures.problem(
                prices: [50, 50],
                devices: (0..<2).map { _ in
                    StorageDevice(kind: .oneWayEVSE, capacity: 1, targets: [SOCTarget(slot: 0, soc: 1)])
                },
                siteConnection: SiteConnection(maxPower: 1.5)
            ),
            reason: "the devices' targets by the end of slot 0 need at least 2.0 MWh from the grid over slots 0 to 0 "
                + "(device 0: 1.0 MWh, device 1: 1.0 MWh), but the site connection's maximum of 1.5 MW lets through "
                + "at most 1.5 MWh"
        ),
        Case(
            // Each car alone could make it by slot 5, and the connection is larger than any one car; but the
            // cars need 4.8 MWh by then, the battery can give back 0.5, and 1.5 MW less the building's 0.8 MW
            // lets 4.2 MWh through in six hours.
            name: "four charge points' targets above the connection less the inflexible load",
            problem: Fixtures.problem(
                prices: [50, 40, 30, 30, 40, 50, 60, 70],
                devices: (1...4).map { point in
                    StorageDevice(
                        name: "charge point \(point)", kind: .oneWayEVSE, capacity: 0.5,
                        targets: [SOCTarget(slot: 5, soc: 1.2)]
                    )
                } + [Fixtures.battery(capacity: 1, socAtStart: 0.5, maxSOC: 1)],
                siteConnection: SiteConnection(maxPower: 1.5, inflexiblePower: Array(repeating: 0.8, count: 8))
            ),
            reason: "the devices' targets by the end of slot 5 need at least 4.3 MWh from the grid over slots 0 to 5 "
                + "(charge point 1: 1.2 MWh, charge point 2: 1.2 MWh, charge point 3: 1.2 MWh, charge point 4: 1.2 MWh), "
                + "but the site connection's maximum of 1.5 MW less the inflexible load lets through at most 4.2 MWh"
        ),
        Case(
            // The battery must come down from 1 to 0 MWh, but the site may not feed in: no window of energy
            // shows it, only GLPK's verdict.
            name: "target that needs feeding in behind a connection that allows none",
            problem: Fixtures.problem(
                prices: [50, 60], devices: [Fixtures.battery(socAtStart: 1, targets: [SOCTarget(slot: 1, soc: 0)])],
                siteConnection: SiteConnection(minPower: 0)
            ),
            reason: "cannot all be met within the site connection's minimum of 0.0 MW"
        ),
    ]

    @Test(arguments: cases)
    func infeasibleProblemIsReportedWithWhatCannotBeMet(_ testCase: Case) throws {
        let error = try #require(Fixtures.error(of: testCase.problem))
        #expect(error.kind == .infeasible)
        #expect(error.reason.contains(testCase.reason), "reason: \(error.reason)")
    }

    @Test func deviceNameLeadsTheReasonWhenSeveralDevicesShareAProblem() throws {
        var car = StorageDevice(kind: .oneWayEVSE, capacity: 0.011, targets: [SOCTarget(slot: 0, soc: 1)])
        car.name = "charge point 2"
        let problem = Fixtures.problem(prices: [50], devices: [Fixtures.battery(), car])
        let error = try #require(Fixtures.error(of: problem))
        #expect(error.reason.hasPrefix("charge point 2: target of 1.0 MWh at slot 0 cannot be reached"))
        #expect(error.field == "devices[1].targets")
    }

    @Test func reachableTargetAtExactlyFullPowerIsFeasible() throws {
        // 0.5 + 11 slots x 0.1 h x 2 MW = 2.7 MWh, to the last digit: the pre-check must not round it away.
        let battery = StorageDevice(kind: .battery, socAtStart: 0.5, maxSOC: 5, capacity: 2, targets: [SOCTarget(slot: 10, soc: 2.7)])
        let schedule = try Scheduler.schedule(SchedulingProblem(slotHours: 0.1, prices: Array(repeating: 50, count: 20), devices: [battery]))
        #expect(abs(schedule.stateOfCharge[0][10] - 2.7) < 1e-9)
        #expect(schedule.power[0].prefix(11).allSatisfy { abs($0 - 2) < 1e-9 })
    }
}

extension InfeasibilityTests {
    @Test func targetsThatJustFitThroughTheConnectionAreFeasible() throws {
        // Four cars want 4.8 MWh by the end of slot 5; 1.5 MW less 0.7 MW lets exactly 4.8 MWh through.
        let problem = Fixtures.problem(
            prices: [50, 40, 30, 30, 40, 50, 60, 70],
            devices: (1...4).map { point in
                StorageDevice(
                    name: "charge point \(point)", kind: .oneWayEVSE, capacity: 0.5, targets: [SOCTarget(slot: 5, soc: 1.2)]
                )
            },
            siteConnection: SiteConnection(maxPower: 1.5, inflexiblePower: Array(repeating: 0.7, count: 8))
        )
        let schedule = try Scheduler.schedule(problem)
        for slot in 0...5 {
            #expect(abs(schedule.totalPower[slot] - 0.8) < 1e-7)
        }
    }
}
