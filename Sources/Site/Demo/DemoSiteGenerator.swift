import Beliefs

/// The demo site's series that are not measured data: a building's load, charge point sessions, a
/// battery's past operation and day-ahead prices, generated deterministically (one seed; each local day
/// draws its own numbers, so the same day always looks the same).
///
/// Assumptions (the README's "Demo site" repeats them):
/// - Local time is Mountain Standard Time (UTC−7) all year, the PV data's place; weekdays are Monday to Friday.
/// - Building: 14 kW base load; on weekdays 36 kW more from 07:30 to 18:30 (ramping over an hour) and a
///   4 kW lunch bump at 12:00–13:00; on weekends 30% of the weekday use from 09:00 to 16:00; cooling
///   adds 1.2 kW per °C of measured air temperature above 21 °C; ±6% noise per quarter hour.
/// - Charge points: per charge point and day 1–3 sessions on weekdays, 0–2 on weekends; the first car
///   arrives between 06:30 and 09:30, stays 1.5–9 hours and wants 6–46 kWh; the next arrives 15 minutes
///   to 2¼ hours after the previous one leaves, until 20:00, and leaves by 23:45. Cars charge at the charge
///   point's full power from arrival until they have their energy or leave (no smart charging in the past).
/// - Battery (its past only; the scheduler plans its future): charges at 40 kW from 10:00 to 14:00, when
///   the PV produces most, and discharges at 36 kW from 17:00 to 21:00, within its state-of-charge limits
///   and efficiencies, from 30 kWh at the start.
/// - Day-ahead prices (EUR/MWh, hourly): 62 base; −18 at night (00:00–05:00), +22 on weekday mornings
///   (07:00–09:00), +48 in the evening peak (17:00–21:00), −12 on weekends; a PV dip of −70 per kW/m² of
///   the hour's measured irradiance (so sunny middays are cheap, sometimes negative); ±4 noise.
public enum DemoSiteGenerator {
    public static let seed: UInt64 = 0x5EED_2016_0702
    /// The site's local time: UTC−7.
    public static let utcOffset = Timespan.hours(-7)
    static let slot = Timespan.minutes(15)
    static let slotHours = 0.25

    // MARK: Building

    /// The building's load in MW (consumption positive) in the quarter hour from `start`.
    public static func buildingLoad(at start: Instant, airTemperature: Double) -> Double {
        let (day, hour) = local(start)
        var random = numbers(day: day, stream: 1_000 + UInt64(hour * 4))
        let occupied = isWeekday(day) ? plateau(hour, from: 7.5, to: 18.5) : 0.3 * plateau(hour, from: 9, to: 16)
        let lunch = isWeekday(day) && hour >= 12 && hour < 13 ? 0.004 : 0
        let cooling = 0.0012 * Swift.max(0, airTemperature - 21)
        let load = (0.014 + 0.036 * occupied + lunch + cooling) * (1 + 0.12 * (random.unit() - 0.5))
        return rounded(load, places: 5)
    }

    // MARK: Charge points

    /// A car's stay at a charge point.
    public struct Session: Sendable, Equatable {
        public let arrival: Instant
        public let departure: Instant
        /// What the car wants, in MWh.
        public let energyInMWh: Double
    }

    /// The sessions of charge point `number` (1...) on the local day that holds `moment`.
    public static func sessions(chargePoint number: Int, onDayOf moment: Instant) -> [Session] {
        let (day, _) = local(moment)
        var random = numbers(day: day, stream: 100 + UInt64(number))
        let count = isWeekday(day) ? 1 + random.below(3) : random.below(3)
        let midnight = Instant(microsecondsSinceEpoch: day * Timespan.days(1).microseconds) - utcOffset
        var hour = 6.5 + 3 * random.unit()
        var sessions: [Session] = []
        for _ in 0..<count where hour <= 20 {
            let stay = 1.5 + 7.5 * random.unit()
            let energy = rounded(0.006 + 0.040 * random.unit(), places: 4)
            let arrival = midnight + quarterHours(hour)
            let departure = midnight + quarterHours(Swift.min(hour + stay, 23.75))
            sessions.append(Session(arrival: arrival, departure: departure, energyInMWh: energy))
            hour = hour + stay + 0.25 + 2 * random.unit()
        }
        return sessions
    }

    /// The charge point's power in MW per quarter hour from `start`: every session charges at `capacity`
    /// from arrival until its energy is in or the car leaves.
    public static func chargePointPower(chargePoint number: Int, capacityInMW capacity: Double, from start: Instant, slots: Int) -> [Double] {
        var power = [Double](repeating: 0, count: slots)
        let end = start + slot * Int64(slots)
        var day = start - Timespan.days(1)
        while day < end + Timespan.days(1) {
            for session in sessions(chargePoint: number, onDayOf: day) {
                var remaining = session.energyInMWh
                var moment = session.arrival
                while moment < session.departure, remaining > 1e-9 {
                    let value = Swift.min(capacity, remaining / slotHours)
                    remaining -= value * slotHours
                    let index = Int((moment - start).microseconds / slot.microseconds)
                    if moment >= start, index < slots { power[index] = rounded(value, places: 6) }
                    moment = moment + slot
                }
            }
            day = day + Timespan.days(1)
        }
        return power
    }

    // MARK: Battery

    /// The battery's past power in MW per quarter hour from `start` (charging positive) and its state of
    /// charge in MWh at the end, starting from 30 kWh (within `socRange`).
    public static func batteryPower(
        from start: Instant, slots: Int, socRange: ClosedRange<Double>, charging: Double, discharging: Double
    ) -> (power: [Double], finalSOC: Double) {
        var soc = Swift.min(Swift.max(0.03, socRange.lowerBound), socRange.upperBound)
        var power: [Double] = []
        power.reserveCapacity(slots)
        for index in 0..<slots {
            let (_, hour) = local(start + slot * Int64(index))
            var value = hour >= 10 && hour < 14 ? 0.04 : hour >= 17 && hour < 21 ? -0.036 : 0
            let next = soc + (value > 0 ? value * slotHours * charging : value * slotHours / discharging)
            if !socRange.contains(next) { value = 0 } else { soc = next }
            power.append(value)
        }
        return (power, soc)
    }

    // MARK: Prices

    /// The day-ahead price in EUR/MWh of the hour from `start`, with `irradiance` the hour's mean GHI in W/m².
    public static func price(at start: Instant, irradiance: Double) -> Double {
        let (day, hour) = local(start)
        var random = numbers(day: day, stream: 2_000 + UInt64(hour))
        var price = 62.0
        if hour < 5 { price -= 18 }
        if isWeekday(day) && hour >= 7 && hour < 9 { price += 22 }
        if hour >= 17 && hour < 21 { price += 48 }
        if !isWeekday(day) { price -= 12 }
        price -= 70 * irradiance / 1000
        price += 8 * (random.unit() - 0.5)
        return rounded(price, places: 2)
    }

    // MARK: Helpers

    /// The local day (days since 1970-01-01 in local time) and the hour of that day.
    static func local(_ moment: Instant) -> (day: Int64, hour: Double) {
        let local = (moment + utcOffset).microsecondsSinceEpoch
        let dayLength = Timespan.days(1).microseconds
        let (day, rest) = (local.flooredDivision(by: dayLength).quotient, local.flooredDivision(by: dayLength).remainder)
        return (day, Double(rest) / 3.6e9)
    }

    /// Monday to Friday (1970-01-01 was a Thursday).
    static func isWeekday(_ day: Int64) -> Bool {
        (day + 3).flooredDivision(by: 7).remainder < 5
    }

    /// 1 between `from` and `to`, ramping linearly over the hour before and after.
    static func plateau(_ hour: Double, from: Double, to: Double) -> Double {
        Swift.max(0, Swift.min(1, hour - (from - 1), (to + 1) - hour))
    }

    static func quarterHours(_ hours: Double) -> Timespan {
        slot * Int64((hours * 4).rounded(.down))
    }

    static func rounded(_ value: Double, places: Int) -> Double {
        let scale = Double(Int(pow10(places)))
        return (value * scale).rounded() / scale
    }

    private static func pow10(_ places: Int) -> Int {
        (0..<places).reduce(1) { product, _ in product * 10 }
    }

    /// A SplitMix64 stream for one local day and one purpose.
    static func numbers(day: Int64, stream: UInt64) -> SplitMix64 {
        SplitMix64(state: seed ^ (UInt64(bitPattern: day) &* 0x9E37_79B9_7F4A_7C15) ^ (stream &* 0xD1B5_4A32_D192_ED03))
    }

    /// SplitMix64 (Steele, Lea, Flood 2014): small, fast, and the same on every platform.
    struct SplitMix64 {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        /// Uniform in [0, 1).
        mutating func unit() -> Double {
            Double(next() >> 11) / Double(1 << 53)
        }

        /// Uniform in 0..<bound.
        mutating func below(_ bound: Int) -> Int {
            Int(next() % UInt64(bound))
        }
    }
}

private extension Int64 {
    func flooredDivision(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = (self >= 0 ? self : self - divisor + 1) / divisor
        return (quotient, self - quotient * divisor)
    }
}
