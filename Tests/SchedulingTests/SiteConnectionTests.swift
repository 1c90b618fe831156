import Testing
@testable import Scheduling

/// Several devices behind one grid connection (beyond the reference, off by default).
struct SiteConnectionTests {
    /// A battery and four charge points: each car wants 1 MWh by the end of a 4-hour window.
    static func chargingSite(_ connection: SiteConnection?) -> SchedulingProblem {
        let cars = (1...4).map { point in
            StorageDevice(
                name: "charge point \(point)", kind: point.isMultiple(of: 2) ? .twoWayEVSE : .oneWayEVSE, capacity: 1,
                targets: [SOCTarget(slot: 3, soc: 1)]
            )
        }
        return Fixtures.problem(
            prices: [20, 60, 40, 80], devices: [Fixtures.battery(capacity: 2, maxSOC: 2)] + cars,
            siteConnection: connection
        )
    }

    @Test func sharedConnectionLimitsTheSumOfAllDevices() throws {
        let schedule = try Scheduler.schedule(Self.chargingSite(SiteConnection(capacity: 2.5)))
        for total in schedule.totalPower {
            #expect(total <= 2.5 + 1e-9 && total >= -2.5 - 1e-9)
        }
        for car in 1...4 {
            #expect(abs(schedule.stateOfCharge[car][3] - 1) < 1e-9)
        }
        // 2.5 MW at 20 EUR/MWh: the cheapest slot is full, the rest of the cars' energy comes at 40.
        #expect(abs(schedule.totalPower[0] - 2.5) < 1e-9)
    }

    @Test func withoutTheConnectionTheSameDevicesWouldExceedIt() throws {
        let schedule = try Scheduler.schedule(Self.chargingSite(nil))
        #expect(schedule.totalPower[0] > 2.5 + 1e-6)
    }

    @Test func connectionCostsWhatItTakesAway() throws {
        let free = try Scheduler.schedule(Self.chargingSite(nil))
        let shared = try Scheduler.schedule(Self.chargingSite(SiteConnection(capacity: 2.5)))
        #expect(shared.cost > free.cost + 1e-6)
    }

    @Test func inflexibleLoadTakesItsShareOfTheConnection() throws {
        let problem = Fixtures.problem(
            prices: [-30, -30], devices: [Fixtures.battery(capacity: 2, maxSOC: 4)],
            siteConnection: SiteConnection(maxPower: 1, inflexiblePower: [0.5, 0.25])
        )
        let schedule = try Scheduler.schedule(problem)
        #expect(abs(schedule.power[0][0] - 0.5) < 1e-9)
        #expect(abs(schedule.power[0][1] - 0.75) < 1e-9)
    }

    @Test func feedInLimitCapsDischarging() throws {
        let problem = Fixtures.problem(
            prices: [100], devices: [Fixtures.battery(capacity: 2, socAtStart: 2, maxSOC: 2)],
            siteConnection: SiteConnection(minPower: -0.5)
        )
        let schedule = try Scheduler.schedule(problem)
        #expect(abs(schedule.power[0][0] - -0.5) < 1e-9)
    }

    @Test func devicesWithoutAConnectionArePlannedAsIfAlone() throws {
        let together = try Scheduler.schedule(Self.chargingSite(nil))
        for (index, device) in Self.chargingSite(nil).devices.enumerated() {
            let alone = try Scheduler.schedule(Fixtures.problem(prices: [20, 60, 40, 80], devices: [device]))
            #expect(abs(alone.cost - zip([20.0, 60, 40, 80], together.power[index]).reduce(0) { $0 + $1.0 * $1.1 }) < 1e-9)
        }
    }

    @Test func lossyDevicesShareTheConnectionToo() throws {
        var problem = Self.chargingSite(SiteConnection(capacity: 2.5))
        problem.devices[0].chargingEfficiency = 0.95
        problem.devices[0].dischargingEfficiency = 0.95
        problem.devices[1].chargingEfficiency = 0.9
        let schedule = try Scheduler.schedule(problem)
        #expect(schedule.totalPower.allSatisfy { abs($0) <= 2.5 + 1e-9 })
        #expect(abs(schedule.stateOfCharge[1][3] - 1) < 1e-9)
    }
}
