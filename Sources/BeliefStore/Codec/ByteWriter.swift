/// The encoder's output sink: a growing byte array with little-endian, varint and zigzag writes.
///
/// Varints are unsigned LEB128 (7 bits a byte, low groups first); zigzag maps signed integers to
/// unsigned ones so that small magnitudes of either sign stay short.
struct ByteWriter {
    /// Everything written so far.
    private(set) var bytes: [UInt8]

    /// Starts empty, reserving `capacity` bytes so that a typical segment is written without regrowth.
    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Number of bytes written so far.
    var count: Int { bytes.count }

    /// Appends one byte.
    @inline(__always)
    mutating func append(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Appends raw bytes unchanged.
    mutating func append(contentsOf buffer: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: buffer)
    }

    /// Appends `value` as an unsigned LEB128 varint (1 to 10 bytes).
    @inline(__always)
    mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest &>>= 7
        }
        bytes.append(UInt8(truncatingIfNeeded: rest))
    }

    /// Appends `value` zigzag-mapped, as a varint.
    @inline(__always)
    mutating func appendZigZag(_ value: Int64) {
        appendVarint(ZigZag.encode(value))
    }

    /// Appends the eight bytes of `value`, least significant first.
    @inline(__always)
    mutating func appendLittleEndian(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends the four bytes of `value`, least significant first.
    @inline(__always)
    mutating func appendLittleEndian(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Grows by `count` zero bytes and lets `body` fill them in place, so that bulk writers (bit
    /// packing, byte planes) skip per-byte appends.
    @inline(__always)
    mutating func appendZeroed<Result>(
        count: Int, _ body: (UnsafeMutableRawBufferPointer) -> Result
    ) -> Result {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: count))
        return bytes.withUnsafeMutableBytes { all in
            body(UnsafeMutableRawBufferPointer(rebasing: all[start ..< start + count]))
        }
    }
}
