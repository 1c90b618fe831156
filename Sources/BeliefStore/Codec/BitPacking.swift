/// Fixed-width bit packing: `count` unsigned integers of `width` bits each (0...64), least
/// significant bit first, in `ceil(count * width / 8)` bytes with no padding between values.
enum BitPacking {
    /// Bits needed for every integer in `0 ... range`.
    @inline(__always)
    static func width(ofRange range: UInt64) -> Int {
        64 - range.leadingZeroBitCount
    }

    /// Bytes that `count` values of `width` bits occupy.
    @inline(__always)
    static func byteCount(count: Int, width: Int) -> Int {
        (count * width + 7) >> 3
    }

    /// Packs `values`, each below `2^width`, into exactly ``byteCount(count:width:)`` bytes.
    static func pack(_ values: UnsafeBufferPointer<UInt64>, width: Int, into output: UnsafeMutableRawBufferPointer) {
        guard width > 0, let out = output.baseAddress else { return }
        var accumulator: UInt64 = 0
        var used = 0  // bits of `accumulator` already filled, always below 64
        var offset = 0
        for value in values {
            accumulator |= value &<< UInt64(used)
            let total = used + width
            if total >= 64 {
                out.storeBytes(of: accumulator.littleEndian, toByteOffset: offset, as: UInt64.self)
                offset += 8
                // The high bits of `value` that did not fit; none when it started a fresh word.
                accumulator = used == 0 ? 0 : value &>> UInt64(64 - used)
                used = total - 64
            } else {
                used = total
            }
        }
        var tail = accumulator
        for index in offset ..< output.count {
            out.storeBytes(of: UInt8(truncatingIfNeeded: tail), toByteOffset: index, as: UInt8.self)
            tail &>>= 8
        }
    }

    /// Calls `body(index, value)` for the `count` values packed at the start of `packed`.
    ///
    /// `loadable` says how many bytes from `packed` may be read: when 8-byte words fit inside it
    /// each value costs one unaligned load, a shift and a mask; otherwise (the last block of a
    /// buffer, or widths above 56 whose bits can straddle nine bytes) a byte-wise path that never
    /// reads past `packed.count` takes over.
    @inline(__always)
    static func unpack(
        _ packed: UnsafeRawBufferPointer, loadable: Int, count: Int, width: Int,
        _ body: (Int, UInt64) -> Void
    ) {
        guard count > 0 else { return }
        guard width > 0, let base = packed.baseAddress else {
            for index in 0 ..< count { body(index, 0) }
            return
        }
        let lastWordStart = ((count - 1) * width) >> 3
        if width <= 56, lastWordStart + 8 <= loadable {
            let mask: UInt64 = (1 &<< UInt64(width)) &- 1
            var bit = 0
            for index in 0 ..< count {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: bit >> 3, as: UInt64.self))
                body(index, (word &>> UInt64(bit & 7)) & mask)
                bit += width
            }
        } else {
            var bit = 0
            for index in 0 ..< count {
                body(index, extract(base, bit: bit, width: width))
                bit += width
            }
        }
    }

    /// One value read byte by byte, touching only the bytes that hold its bits.
    @inline(__always)
    private static func extract(_ base: UnsafeRawPointer, bit start: Int, width: Int) -> UInt64 {
        var result: UInt64 = 0
        var taken = 0
        var bit = start
        while taken < width {
            let shift = bit & 7
            let take = min(8 - shift, width - taken)
            let byte = UInt64(base.load(fromByteOffset: bit >> 3, as: UInt8.self))
            result |= ((byte &>> UInt64(shift)) & ((1 &<< UInt64(take)) &- 1)) &<< UInt64(taken)
            taken += take
            bit += take
        }
        return result
    }
}
