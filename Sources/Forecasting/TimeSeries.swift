/// A regular series of one quantity: slot `i` covers
/// `[start + i * resolution, start + (i + 1) * resolution)` in seconds since the Unix epoch,
/// and `values[i]` is its value, `.nan` where it is missing.
public struct TimeSeries: Sendable, Equatable {
    /// Start of slot 0, in seconds since the Unix epoch (UTC).
    public var start: Int64
    /// Length of every slot, in seconds.
    public var resolution: Int64
    /// One value per slot; `.nan` marks a missing value.
    public var values: [Double]

    /// A series of `values` on the grid that starts at `start` with slots of `resolution` seconds.
    public init(start: Int64, resolution: Int64, values: [Double]) {
        self.start = start
        self.resolution = resolution
        self.values = values
    }

    /// A series built from optional values, `nil` becoming `.nan`.
    public init(start: Int64, resolution: Int64, values: [Double?]) {
        self.init(start: start, resolution: resolution, values: values.map { $0 ?? .nan })
    }

    /// Start time of slot `slot`.
    public func eventStart(ofSlot slot: Int) -> Int64 {
        start + Int64(slot) * resolution
    }

    /// End time of slot `slot`: the moment its outcome becomes known.
    public func eventEnd(ofSlot slot: Int) -> Int64 {
        start + Int64(slot + 1) * resolution
    }

    /// Index of the slot that contains `time` (may be negative or beyond `values`).
    public func slot(containing time: Int64) -> Int {
        Int(floorDivide(time - start, resolution))
    }

    /// How many leading slots have ended by `time`, that is, whose outcomes are known at `time`.
    public func slotsEnded(by time: Int64) -> Int {
        Int(floorDivide(time - start, resolution))
    }

    /// Number of slots per day, when a day is a whole number of slots.
    var slotsPerDay: Int? {
        guard resolution > 0, 86_400 % resolution == 0 else { return nil }
        return Int(86_400 / resolution)
    }
}

/// Integer division rounding towards minus infinity, so times before `start` map to negative slots.
func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
