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

