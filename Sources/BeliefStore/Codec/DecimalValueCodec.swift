/// Doubles that are short decimals (meter readings, prices: 0 to 4 digits after the point), in the
/// spirit of ALP (Afroozeh, Kuffó and Boncz, SIGMOD 2024): each value becomes the integer
/// `round(v * 10^e)` for one exponent `e` per column, the integers go through
/// ``IntegerColumnCodec``, and values that do not come back bit-exactly from `Double(n) / 10^e`
/// (-0.0, more digits than `e`, magnitudes beyond exact integers) are stored raw as exceptions.
enum DecimalValueCodec {
    /// Largest exponent tried; 10 digits after the point covers every decimal sensor reading.
    static let maximumExponent = 10

    /// `10^e` for `e` in `0 ... maximumExponent`, all exact in binary64.
    static let powersOfTen: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10]

    /// A column converted to integers at one exponent, ready to be written.
    struct Encoding {
        var exponent: Int
        var integers: [Int64]
        var plan: IntegerColumnCodec.Plan
        var exceptionPositions: [Int]
        var exceptionBits: [UInt64]
        /// Encoded size in bytes, excluding the column tag.
        var size: Int
    }

    /// `value * scale` rounded to an integer if dividing that integer by `scale` gives `value`
    /// back bit for bit; nil otherwise (including NaN and infinities).
    @inline(__always)
    static func scaledInteger(_ value: Double, scale: Double) -> Int64? {
        let scaled = value * scale
        // Below 2^51, adding and subtracting 1.5 * 2^52 rounds to the nearest integer without a
        // libm call, and the conversion to Int64 below is exact; the bound also keeps the
        // integers within 2^53, where Double(n) is exact.
        guard scaled.magnitude <= 0x1p51 else { return nil }
        let rounded = (scaled + 0x1.8p52) - 0x1.8p52
        let integer = Int64(rounded)
        guard (Double(integer) / scale).bitPattern == value.bitPattern else { return nil }
        return integer
    }

    /// Exponent that a sample of `values` suggests, or nil if the sample holds no decimals at all.
    ///
    /// Each sampled value has a smallest exponent that reproduces it (and every larger one does
    /// too); the choice weighs the exceptions a smaller exponent leaves (about 80 bits each)
    /// against the log2(10) bits every value pays for each extra digit.
    static func sampledExponent(_ values: UnsafeBufferPointer<Double>) -> Int? {
        let sampleSize = min(values.count, 64)
        guard sampleSize > 0 else { return nil }
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: maximumExponent + 2) { needing in
            needing.initialize(repeating: 0)
            for sample in 0 ..< sampleSize {
                let value = values[sample * values.count / sampleSize]
                var exponent = 0
                while exponent <= maximumExponent, scaledInteger(value, scale: powersOfTen[exponent]) == nil {
                    exponent += 1
                }
                needing[exponent] += 1  // maximumExponent + 1: no exponent works
            }
            guard needing[maximumExponent + 1] < sampleSize else { return nil }
            var best = 0
            var bestCost = Double.infinity
            var reproduced = 0
            for exponent in 0 ... maximumExponent {
                reproduced += needing[exponent]
                let cost = Double(sampleSize - reproduced) * 80 + Double(reproduced * exponent) * 3.33
                if cost < bestCost {
                    best = exponent
                    bestCost = cost
                }
            }
            return best
        }
    }

    /// `values` converted at `exponent`; exceptions take their predecessor's integer so that
    /// they do not widen the deltas around them.
    static func encoding(_ values: UnsafeBufferPointer<Double>, exponent: Int) -> Encoding {
        let count = values.count
        let scale = powersOfTen[exponent]
        var exceptionPositions: [Int] = []
        var exceptionBits: [UInt64] = []
        var firstReproduced = -1
        var integers = [Int64](unsafeUninitializedCapacity: count) { integers, initialized in
            var previous: Int64 = 0
            for index in 0 ..< count {
                let value = values[index]
                if let integer = scaledInteger(value, scale: scale) {
                    integers[index] = integer
                    previous = integer
                    if firstReproduced < 0 { firstReproduced = index }
                } else {
                    integers[index] = previous
                    exceptionPositions.append(index)
                    exceptionBits.append(value.bitPattern)
                }
            }
            initialized = count
        }
        if firstReproduced > 0 {
            for index in 0 ..< firstReproduced { integers[index] = integers[firstReproduced] }
        }
        let plan = integers.withUnsafeBufferPointer { IntegerColumnCodec.plan($0) }
        var size = 1 + plan.size + ZigZag.varintSize(UInt64(exceptionPositions.count))
        var previous = -1
        for position in exceptionPositions {
            size += ZigZag.varintSize(UInt64(position - previous - 1)) + 8
            previous = position
        }
        return Encoding(
            exponent: exponent, integers: integers, plan: plan,
            exceptionPositions: exceptionPositions, exceptionBits: exceptionBits, size: size
        )
    }

    /// Appends `encoding` (after the column tag).
    static func write(_ encoding: Encoding, into writer: inout ByteWriter) {
        writer.append(UInt8(encoding.exponent))
        encoding.integers.withUnsafeBufferPointer { IntegerColumnCodec.write(encoding.plan, of: $0, into: &writer) }
        writer.appendVarint(UInt64(encoding.exceptionPositions.count))
        var previous = -1
        for (position, bits) in zip(encoding.exceptionPositions, encoding.exceptionBits) {
            // Gaps rather than positions: strictly increasing by construction, and short.
            writer.appendVarint(UInt64(position - previous - 1))
            writer.appendLittleEndian(bits)
            previous = position
        }
    }

    /// Reads a column written by ``write(_:into:)`` (after the column tag) into `output`.
    static func decode(
        from reader: inout ByteReader, into output: UnsafeMutableBufferPointer<Double>
    ) throws(SegmentCodecError) {
        let exponent = Int(try reader.readByte())
        guard exponent <= maximumExponent else { throw .malformed("decimal exponent \(exponent) above \(maximumExponent)") }
        let scale = powersOfTen[exponent]
        let count = output.count
        // The integers are decoded into the output's own memory and replaced in place by their
        // doubles, which saves a temporary array per column.
        try output.withMemoryRebound(to: Int64.self) { (integers) throws(SegmentCodecError) in
            try IntegerColumnCodec.decode(from: &reader, into: integers)
            for index in 0 ..< count {
                integers[index] = Int64(bitPattern: (Double(integers[index]) / scale).bitPattern)
            }
        }
        let exceptionCount = try reader.readCount(atMost: count, "exception count")
        var position = -1
        for _ in 0 ..< exceptionCount {
            position += try reader.readCount(atMost: count, "exception gap") + 1
            guard position < count else { throw .malformed("exception position \(position) beyond \(count) values") }
            output[position] = Double(bitPattern: try reader.readUInt64())
        }
    }
}
