/// Gorilla-style XOR encoding of doubles (Pelkonen et al., VLDB 2015), for values that are not
/// short decimals but repeat or change in few bits (integer-valued floats, values widened from
/// Float, long runs of one odd constant).
///
/// Stream, least significant bit first: the first value's 64 bits, then per value the XOR with its
/// predecessor as `0` (equal), `1 0` + the bits inside the previous leading/trailing-zero window,
/// or `1 1` + leading zeros (5 bits, capped at 31) + significant length - 1 (6 bits) + the bits.
enum XORValueCodec {
    /// The encoded stream of `values` (at least one).
    static func encode(_ values: UnsafeBufferPointer<Double>) -> [UInt8] {
        var stream = BitWriter(capacity: values.count * 8 + 8)
        var previous = values[0].bitPattern
        stream.write(previous, width: 64)
        var windowLeading = -1  // no window yet
        var windowTrailing = 0
        for index in 1 ..< values.count {
            let bits = values[index].bitPattern
            let difference = bits ^ previous
            previous = bits
            if difference == 0 {
                stream.write(0, width: 1)
                continue
            }
            let leading = min(difference.leadingZeroBitCount, 31)
            let trailing = difference.trailingZeroBitCount
            if windowLeading >= 0, leading >= windowLeading, trailing >= windowTrailing {
                stream.write(0b01, width: 2)
                stream.write(difference &>> UInt64(windowTrailing), width: 64 - windowLeading - windowTrailing)
            } else {
                let length = 64 - leading - trailing
                stream.write(0b11, width: 2)
                stream.write(UInt64(leading), width: 5)
                stream.write(UInt64(length - 1), width: 6)
                stream.write(difference &>> UInt64(trailing), width: length)
                windowLeading = leading
                windowTrailing = trailing
            }
        }
        return stream.finish()
    }

    /// Decodes `output.count` values (at least one) from the start of `stream`; returns the bytes used.
    static func decode(
        _ stream: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Double>
    ) throws(SegmentCodecError) -> Int {
        var reader = BitReader(stream)
        var previous = try reader.read(width: 64)
        output[0] = Double(bitPattern: previous)
        var windowLeading = -1
        var windowTrailing = 0
        for index in 1 ..< output.count {
            if try reader.readBit() {
                if try reader.readBit() {
                    let leading = Int(try reader.read(width: 5))
                    let length = Int(try reader.read(width: 6)) + 1
                    guard leading + length <= 64 else { throw .malformed("XOR window beyond 64 bits") }
                    windowLeading = leading
                    windowTrailing = 64 - leading - length
                } else {
                    guard windowLeading >= 0 else { throw .malformed("XOR window used before it is set") }
                }
                let significant = try reader.read(width: 64 - windowLeading - windowTrailing)
                previous ^= significant &<< UInt64(windowTrailing)
            }
            output[index] = Double(bitPattern: previous)
        }
        return reader.consumedBytes
    }
}
