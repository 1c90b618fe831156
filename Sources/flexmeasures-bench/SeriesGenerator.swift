import Beliefs
import Foundation
import TestSupport

/// Realistic series for benchmarks, reproducible from a seed.
struct SeriesGenerator {
    /// 2021-01-01T00:00:00Z
    static let origin = Instant(secondsSinceEpoch: 1_609_459_200)

    private var random: SeededGenerator

    init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
    }

    /// A building's power in MW with 3 decimals (kW precision): a base load, a daily shape with morning
    /// and evening peaks, a weekly dip, and noise with a standard deviation of 8 kW.
    mutating func meterValues(count: Int, resolution: Timespan) -> [Double] {
        (0..<count).map { index in
            let hours = Double((resolution * Int64(index)).microseconds) / 3.6e9
            let day = hours.truncatingRemainder(dividingBy: 24)
            let weekday = Int(hours / 24) % 7
            let daily = 0.12 * exp(-pow(day - 8, 2) / 6) + 0.16 * exp(-pow(day - 18.5, 2) / 8)
            let weekly = weekday >= 5 ? -0.05 : 0
            let power = 0.25 + daily + weekly + 0.008 * random.gaussian()
            return (power * 1000).rounded() / 1000
        }
    }

    /// Day-ahead prices in EUR/MWh with 2 decimals: a daily double peak, a weekly pattern, slow drift,
    /// and noise with a standard deviation of 4 EUR/MWh.
    mutating func priceValues(count: Int, resolution: Timespan) -> [Double] {
        var drift = 0.0
        return (0..<count).map { index in
            let hours = Double((resolution * Int64(index)).microseconds) / 3.6e9
            let day = hours.truncatingRemainder(dividingBy: 24)
            let weekday = Int(hours / 24) % 7
            drift += 0.05 * random.gaussian()
            let shape = 18 * exp(-pow(day - 8, 2) / 4) + 24 * exp(-pow(day - 19, 2) / 5) - 10 * exp(-pow(day - 3, 2) / 6)
            let price = 45 + drift + shape + (weekday >= 5 ? -8 : 0) + 4 * random.gaussian()
            return (price * 100).rounded() / 100
        }
    }

    /// Measurements made 15 minutes after each event's end, as a meter gateway posts them.
    static func beliefs(
        values: [Double], sensor: SensorID, source: SourceID, resolution: Timespan, from start: Instant = origin
    ) -> [Belief] {
        values.enumerated().map { index, value in
            let eventStart = start + resolution * Int64(index)
            return Belief(
                sensorID: sensor, eventStart: eventStart, beliefTime: eventStart + resolution + .minutes(15),
                sourceID: source, value: value
            )
        }
    }
}

