/// Reads what ``BitWriter`` wrote; reads past the end throw ``SegmentCodecError/truncated``.
struct BitReader {
    private let bytes: UnsafeRawBufferPointer
    private let bitCount: Int
    /// Bits consumed so far.
    private(set) var position = 0

    /// Reads the bits of `bytes`.
    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        bitCount = bytes.count * 8
    }

    /// Whole bytes the bits read so far span.
    var consumedBytes: Int { (position + 7) / 8 }

    /// Reads one bit.
    @inline(__always)
    mutating func readBit() throws(SegmentCodecError) -> Bool {
        guard position < bitCount else { throw .truncated }
        let byte = bytes.load(fromByteOffset: position >> 3, as: UInt8.self)
        defer { position += 1 }
        return (byte >> UInt8(position & 7)) & 1 == 1
    }

    /// Reads a `width`-bit field (0...64).
    @inline(__always)
    mutating func read(width: Int) throws(SegmentCodecError) -> UInt64 {
        guard width <= bitCount - position else { throw .truncated }
        if width > 56 {
            let low = field(width: 32)
            let high = field(width: width - 32)
            return low | high &<< 32
        }
        return field(width: width)
    }

    /// A field of at most 56 bits that is known to lie within the stream.
    @inline(__always)
    private mutating func field(width: Int) -> UInt64 {
        let byteIndex = position >> 3
        let word: UInt64
        if byteIndex + 8 <= bytes.count {
            word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: byteIndex, as: UInt64.self))
        } else {
            var partial: UInt64 = 0
            for index in byteIndex ..< bytes.count {
                partial |= UInt64(bytes[index]) &<< UInt64((index - byteIndex) * 8)
            }
            word = partial
        }
        let value = (word &>> UInt64(position & 7)) & ((1 &<< UInt64(width)) &- 1)
        position += width
        return value
    }
}
