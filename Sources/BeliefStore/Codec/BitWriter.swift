/// Writes variable-width bit fields, least significant bit first, for the XOR value encoding.
struct BitWriter {
    private(set) var writer: ByteWriter
    private var accumulator: UInt64 = 0
    private var used = 0  // bits of `accumulator` filled, always below 64

    /// Starts an empty stream sized for about `capacity` bytes.
    init(capacity: Int) {
        writer = ByteWriter(capacity: capacity)
    }

    /// Bytes the stream takes once finished.
    var byteCount: Int { writer.count + (used + 7) / 8 }

    /// Appends the low `width` bits of `value` (0...64); higher bits must be zero.
    @inline(__always)
    mutating func write(_ value: UInt64, width: Int) {
        accumulator |= value &<< UInt64(used)
        let total = used + width
        if total >= 64 {
            writer.appendLittleEndian(accumulator)
            accumulator = used == 0 ? 0 : value &>> UInt64(64 - used)
            used = total - 64
        } else {
            used = total
        }
    }

    /// Flushes the partial last byte and returns the stream.
    consuming func finish() -> [UInt8] {
        var tail = accumulator
        for _ in 0 ..< (used + 7) / 8 {
            writer.append(UInt8(truncatingIfNeeded: tail))
            tail &>>= 8
        }
        return writer.bytes
    }
}
