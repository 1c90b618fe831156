import Beliefs

/// Shorthands that keep the tables readable; all instants are UTC.
extension Instant {
    /// 2016-05-01 (the reference documentation's example day) at hh:mm:ss UTC.
    static func may1(_ hour: Int64, _ minute: Int64, _ second: Int64 = 0) -> Instant {
        Instant(secondsSinceEpoch: 1_462_060_800 + hour * 3600 + minute * 60 + second)
    }
}

extension Timespan {
    static func microseconds(_ count: Int64) -> Timespan { Timespan(microseconds: count) }
}

/// A seeded generator, so the shuffles are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
