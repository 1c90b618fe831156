import ArgumentParser
import Beliefs
import Foundation
import Scheduling

/// `flexmeasures-bench scheduling`: solve times of the scheduler for the issue's three problem sizes.
struct SchedulingBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduling",
        abstract: "Median and p99 solve times: 192 and 672 slots of one battery, 2,016 slots of a charging site, without and with losses."
    )

    @Option(help: "Solves of the 192-slot problem.") var smallRepetitions = 1000
    @Option(help: "Solves of the 672-slot problem.") var mediumRepetitions = 300
    @Option(help: "Solves of the 2,016-slot site problem.") var siteRepetitions = 100
    @Option(help: "Run only the cases whose name contains this text.") var only: String?

    func run() throws {
        var generator = SeriesGenerator(seed: 2024)
        let quarterHourPrices = generator.priceValues(count: 672, resolution: .minutes(15))
        // Day-ahead prices are hourly: a 5-minute plan sees each one twelve times, which makes many ties.
        let hourlyPrices = generator.priceValues(count: 168, resolution: .hours(1))
        let fiveMinutePrices = hourlyPrices.flatMap { Array(repeating: $0, count: 12) }
        print("# scheduling benchmark: Scheduler.schedule (validation, pre-checks, LP build, GLPK simplex)")

        let twoDays = Self.batteryProblem(prices: Array(quarterHourPrices.prefix(192)), slotHours: 0.25)
        try measure("192 slots, one battery", twoDays, repetitions: smallRepetitions)
        let week = Self.batteryProblem(prices: quarterHourPrices, slotHours: 0.25)
        try measure("672 slots, one battery", week, repetitions: mediumRepetitions)
        let site = Self.chargingSiteProblem(prices: fiveMinutePrices, slotHours: 1.0 / 12)
        try measure("2016 slots, battery and four charge points on a shared connection", site, repetitions: siteRepetitions)

        // Losses (90 % each way): at the generator's prices, which stay positive, the LP's optimum never
        // charges and discharges at once, so no MIP is built; with a sunny midday's negative prices it does,
        // and the mode binaries make it a MIP.
        let lossyTwoDays = Self.withLosses(twoDays)
        try measure("192 slots, one battery with losses, positive prices (LP)", lossyTwoDays, repetitions: smallRepetitions)
        let sunnyQuarterHours = Self.withSolarDip(quarterHourPrices, slotHours: 0.25)
        var sunnyTwoDays = lossyTwoDays
        sunnyTwoDays.prices = Array(sunnyQuarterHours.prefix(192))
        try measure("192 slots, one battery with losses, negative middays (MIP)", sunnyTwoDays, repetitions: smallRepetitions)
        let lossyWeek = Self.withLosses(week)
        try measure("672 slots, one battery with losses, positive prices (LP)", lossyWeek, repetitions: mediumRepetitions)
        var sunnyWeek = lossyWeek
        sunnyWeek.prices = sunnyQuarterHours
        try measure("672 slots, one battery with losses, negative middays (MIP)", sunnyWeek, repetitions: mediumRepetitions)
        var sunnySite = Self.withLosses(site)
        sunnySite.prices = Self.withSolarDip(fiveMinutePrices, slotHours: 1.0 / 12)
        try measure(
            "2016 slots, charging site with losses, negative middays (MIP)", sunnySite, repetitions: siteRepetitions
        )
    }

    private func measure(_ name: String, _ problem: SchedulingProblem, repetitions: Int) throws {
        if let only, !name.contains(only) { return }
        let schedule = try Scheduler.schedule(problem)
        var seconds: [Double] = []
        for _ in 0..<Swift.max(1, repetitions) {
            seconds.append(try Stopwatch.seconds { _ = try Scheduler.schedule(problem) })
        }
        print(
            "# \(name): \(seconds.count) solves, cost \(String(format: "%.2f", schedule.cost)) EUR, "
                + "solved as \(schedule.solution)"
        )
        report("scheduling \(name) median", seconds.median * 1000, decimals: 3, unit: "ms")
        report("scheduling \(name) p99", seconds.percentile(0.99) * 1000, decimals: 3, unit: "ms")
    }

    /// The same problem with every device losing 10 % charging and 10 % discharging.
    static func withLosses(_ problem: SchedulingProblem) -> SchedulingProblem {
        var lossy = problem
        for index in lossy.devices.indices {
            lossy.devices[index].chargingEfficiency = 0.9
            lossy.devices[index].dischargingEfficiency = 0.9
        }
        return lossy
    }

    /// Prices pushed down around 13:00 every day, up to 90 EUR/MWh, so that three to four hours go negative:
    /// longer than the battery needs to fill up.
    static func withSolarDip(_ prices: [Double], slotHours: Double) -> [Double] {
        prices.enumerated().map { slot, price in
            let hour = (Double(slot) * slotHours).truncatingRemainder(dividingBy: 24)
            let dip = 90 * Swift.max(0, 1 - abs(hour - 13) / 3.5)
            return ((price - dip) * 100).rounded() / 100
        }
    }

    /// A 2 MW / 5 MWh battery starting half full, asked to be nearly full every morning at 06:00 and back
    /// at half at the end, like the reference's targets case.
    static func batteryProblem(prices: [Double], slotHours: Double) -> SchedulingProblem {
        let slotsPerDay = Int((24 / slotHours).rounded())
        var targets = stride(from: slotsPerDay + slotsPerDay / 4 - 1, to: prices.count - 1, by: slotsPerDay).map {
            SOCTarget(slot: $0, soc: 4.5)
        }
        targets.append(SOCTarget(slot: prices.count - 1, soc: 2.5))
        let battery = StorageDevice(
            name: "battery", kind: .battery, socAtStart: 2.5, minSOC: 0.5, maxSOC: 5, capacity: 2, targets: targets
        )
        return SchedulingProblem(slotHours: slotHours, prices: prices, devices: [battery])
    }

    /// A 1 MW / 2 MWh battery and four 150 kW charge points (two one-way, two vehicle-to-grid) behind a
    /// connection of 1.2 MW import and 1 MW export; every morning at 07:00 each fleet has taken in
    /// another 0.4 to 0.7 MWh.
    static func chargingSiteProblem(prices: [Double], slotHours: Double) -> SchedulingProblem {
        let slotsPerDay = Int((24 / slotHours).rounded())
        let mornings = stride(from: slotsPerDay / 24 * 31 - 1, to: prices.count, by: slotsPerDay)
        var devices = [
            StorageDevice(
                name: "battery", kind: .battery, socAtStart: 1, minSOC: 0.2, maxSOC: 2, capacity: 1,
                targets: [SOCTarget(slot: prices.count - 1, soc: 1)]
            )
        ]
        for point in 0..<4 {
            let daily = 0.4 + 0.1 * Double(point)
            let targets = mornings.enumerated().map { day, slot in SOCTarget(slot: slot, soc: 0.1 + daily * Double(day + 1)) }
            devices.append(
                StorageDevice(
                    name: "charge point \(point + 1)", kind: point < 2 ? .oneWayEVSE : .twoWayEVSE, socAtStart: 0.1,
                    capacity: 0.15, targets: targets
                )
            )
        }
        return SchedulingProblem(
            slotHours: slotHours, prices: prices, devices: devices,
            siteConnection: SiteConnection(maxPower: 1.2, minPower: -1)
        )
    }
}
