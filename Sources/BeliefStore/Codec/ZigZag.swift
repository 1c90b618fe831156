/// Zigzag mapping between signed and unsigned 64-bit integers (0, -1, 1, -2, ... become 0, 1, 2,
/// 3, ...), so that small magnitudes of either sign make short varints; and varint sizes.
enum ZigZag {
    /// Maps a signed integer to an unsigned one whose magnitude is about twice the input's.
    @inline(__always)
    static func encode(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value &<< 1) ^ (value &>> 63))
    }

    /// Inverse of ``encode(_:)``; total over all 2^64 inputs, so corrupt input cannot trap.
    @inline(__always)
    static func decode(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value &>> 1) ^ -Int64(bitPattern: value & 1)
    }

    /// Number of bytes ``ByteWriter/appendVarint(_:)`` takes for `value`.
    @inline(__always)
    static func varintSize(_ value: UInt64) -> Int {
        // ceil(significant bits / 7), and zero still takes a byte.
        let bits = 64 - (value | 1).leadingZeroBitCount
        return (bits + 6) / 7
    }
}
