import Testing
@testable import Scheduling

/// GLPK keeps its state per thread (Debian's build), so separate problems can be solved at once.
struct ConcurrencyTests {
    /// Problems that differ in size, devices and prices, so that concurrent solves do different work.
    static func problem(_ index: Int) -> SchedulingProblem {
        let prices = Fixtures.dayOfPrices.enumerated().map { slot, price in price + Double((slot * (index + 3)) % 11) }
        var devices = [Fixtures.battery(capacity: 1 + Double(index % 3), socAtStart: 1, maxSOC: 4)]
        if index.isMultiple(of: 2) {
            devices.append(StorageDevice(kind: .oneWayEVSE, capacity: 0.5, targets: [SOCTarget(slot: 70, soc: 2)]))
        }
        return SchedulingProblem(
            slotHours: 0.25, prices: prices, devices: devices,
            siteConnection: index.isMultiple(of: 4) ? SiteConnection(capacity: 1.5) : nil
        )
    }

    @Test func concurrentSolvesGiveTheSameSchedulesAsSequentialOnes() async throws {
        let count = 48
        let sequential = try (0..<count).map { try Scheduler.schedule(Self.problem($0)) }
        let concurrent = try await withThrowingTaskGroup(of: (Int, Schedule).self) { group in
            for round in 0..<4 {
                for index in 0..<count {
                    group.addTask { (index, try Scheduler.schedule(Self.problem((index + round * 7) % count))) }
                }
            }
            var results: [Int: [Schedule]] = [:]
            for try await (index, schedule) in group {
                results[index, default: []].append(schedule)
            }
            return results
        }
        for round in 0..<4 {
            for index in 0..<count {
                let expected = sequential[(index + round * 7) % count]
                #expect(concurrent[index]?.contains(expected) == true)
            }
        }
    }
}
