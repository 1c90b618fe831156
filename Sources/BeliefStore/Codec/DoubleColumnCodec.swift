/// One column of doubles (values, cumulative probabilities), stored in whichever of its encodings
/// is smallest. Every bit pattern, -0.0 and NaN payloads included, comes back unchanged.
enum DoubleColumnCodec {
    /// Column encodings; distinct from ``IntegerColumnCodec/Tag`` so that a misaligned read is caught.
    enum Tag: UInt8 {
        /// One bit pattern for every row.
        case constant = 0x20
        /// Scaled decimal integers with exceptions (``DecimalValueCodec``).
        case decimal = 0x21
        /// Eight bytes per value.
        case raw = 0x22
        /// XOR with the predecessor (``XORValueCodec``).
        case xor = 0x23
        /// zlib deflate of the raw bytes transposed into eight byte planes.
        case deflate = 0x24
    }

    /// Bytes per value under which a decimal encoding is kept without trying the fallbacks:
    /// XOR and deflate rarely get below this on any data, and trying them costs far more than
    /// the decimal encoding itself.
    static let goodEnoughBytesPerValue = 3

    /// Columns shorter than this are never deflated: zlib's 6 bytes of framing would not pay.
    static let minimumDeflateCount = 16

    /// Values looked at to decide whether deflate is worth trying on a column.
    static let deflateSampleCount = 256

    /// Appends `values` in their smallest encoding.
    static func encode(_ values: UnsafeBufferPointer<Double>, into writer: inout ByteWriter) {
        let count = values.count
        guard count > 0 else {
            writer.append(Tag.raw.rawValue)
            return
        }
        let first = values[0].bitPattern
        var isConstant = true
        for value in values where value.bitPattern != first {
            isConstant = false
            break
        }
        if isConstant {
            writer.append(Tag.constant.rawValue)
            writer.appendLittleEndian(first)
            return
        }

        var decimal: DecimalValueCodec.Encoding?
        if let exponent = DecimalValueCodec.sampledExponent(values) {
            let encoding = DecimalValueCodec.encoding(values, exponent: exponent)
            if encoding.exceptionPositions.isEmpty || encoding.size <= goodEnoughBytesPerValue * count {
                writer.append(Tag.decimal.rawValue)
                DecimalValueCodec.write(encoding, into: &writer)
                return
            }
            decimal = encoding
        }

        enum Choice {
            case decimal(DecimalValueCodec.Encoding)
            case raw
            case xor([UInt8])
            case deflate([UInt8])
        }
        var choice = Choice.raw
        var bestSize = 8 * count
        if let decimal, decimal.size < bestSize {
            choice = .decimal(decimal)
            bestSize = decimal.size
        }
        let xor = XORValueCodec.encode(values)
        if xor.count < bestSize {
            choice = .xor(xor)
            bestSize = xor.count
        }
        if let deflated = deflatedIfItPays(values, against: bestSize) {
            choice = .deflate(deflated)
        }

        switch choice {
        case let .decimal(encoding):
            writer.append(Tag.decimal.rawValue)
            DecimalValueCodec.write(encoding, into: &writer)
        case .raw:
            writer.append(Tag.raw.rawValue)
            writer.appendZeroed(count: 8 * count) { raw in
                for index in 0 ..< count {
                    raw.storeBytes(of: values[index].bitPattern.littleEndian, toByteOffset: index * 8, as: UInt64.self)
                }
            }
        case let .xor(stream):
            writer.append(Tag.xor.rawValue)
            stream.withUnsafeBytes { writer.append(contentsOf: $0) }
        case let .deflate(stream):
            writer.append(Tag.deflate.rawValue)
            writer.appendVarint(UInt64(stream.count))
            stream.withUnsafeBytes { writer.append(contentsOf: $0) }
        }
    }

    /// Reads a column written by ``encode(_:into:)`` into `output`.
    static func decode(
        from reader: inout ByteReader, into output: UnsafeMutableBufferPointer<Double>
    ) throws(SegmentCodecError) {
        let count = output.count
        let tagByte = try reader.readByte()
        guard let tag = Tag(rawValue: tagByte) else {
            throw .malformed("unknown double column tag \(tagByte)")
        }
        switch tag {
        case .constant:
            output.initialize(repeating: Double(bitPattern: try reader.readUInt64()))
        case .decimal:
            try DecimalValueCodec.decode(from: &reader, into: output)
        case .raw:
            guard count <= reader.remaining / 8 else { throw .truncated }
            let raw = try reader.readBytes(count: count * 8).bytes
            for index in 0 ..< count {
                output[index] = Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)))
            }
        case .xor:
            guard count > 0 else { throw .malformed("XOR column without values") }
            let used = try XORValueCodec.decode(reader.unread, into: output)
            _ = try reader.readBytes(count: used)
        case .deflate:
            let length = try reader.readCount(atMost: reader.remaining, "deflate length")
            let stream = try reader.readBytes(count: length).bytes
            guard count <= Int.max / 8 else { throw .malformed("deflate column too large") }
            var planes = [UInt8](repeating: 0, count: count * 8)
            let inflated = planes.withUnsafeMutableBytes { Deflate.decompress(stream, into: $0) }
            guard inflated else { throw .malformed("deflate stream does not inflate to \(count) values") }
            planes.withUnsafeBytes { planes in
                for index in 0 ..< count {
                    var bits: UInt64 = 0
                    for plane in 0 ..< 8 {
                        bits |= UInt64(planes[plane * count + index]) &<< UInt64(plane * 8)
                    }
                    output[index] = Double(bitPattern: bits)
                }
            }
        }
    }

    /// The column deflated, if that takes at most 7/8 of `bestSize` bytes (length prefix included).
    ///
    /// Inflating costs about ten times as much as reading raw or XOR values, so a few percent
    /// (all deflate finds in random doubles, from their exponent bytes) does not pay. And
    /// deflating costs about 10 ns a byte plus tens of microseconds of setup, so a sample decides first whether
    /// it is worth trying at all.
    private static func deflatedIfItPays(_ values: UnsafeBufferPointer<Double>, against bestSize: Int) -> [UInt8]? {
        let count = values.count
        guard count >= minimumDeflateCount else { return nil }
        let sample = UnsafeBufferPointer(rebasing: values[0 ..< min(count, deflateSampleCount)])
        guard deflateMayPay(sample, bytesPerValue: Double(bestSize) / Double(count)) else { return nil }
        let limit = bestSize / 8 * 7 - ZigZag.varintSize(UInt64(bestSize))
        return bytePlanes(values).withUnsafeBytes { Deflate.compress($0, level: 1, limit: limit) }
    }

    /// Whether `sample` shows what deflate exploits in byte planes: planes with few distinct bytes
    /// (few distinct values, shared exponents), or values that recur non-adjacently (periodic
    /// patterns, which XOR with the predecessor misses).
    private static func deflateMayPay(_ sample: UnsafeBufferPointer<Double>, bytesPerValue: Double) -> Bool {
        let count = sample.count
        // Bits a value would take if each plane were coded with a fixed width for its distinct bytes.
        var bits = 0
        withUnsafeTemporaryAllocation(of: Bool.self, capacity: 256) { seen in
            for plane in 0 ..< 8 {
                seen.initialize(repeating: false)
                var distinct = 0
                for value in sample {
                    let byte = Int(UInt8(truncatingIfNeeded: value.bitPattern &>> UInt64(plane * 8)))
                    if !seen[byte] {
                        seen[byte] = true
                        distinct += 1
                    }
                }
                bits += BitPacking.width(ofRange: UInt64(distinct - 1))
            }
        }
        if Double(bits) / 8 <= bytesPerValue * 7 / 8 { return true }

        let slots = 4 * deflateSampleCount
        var recurring = 0
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: slots) { keys in
            withUnsafeTemporaryAllocation(of: Bool.self, capacity: slots) { used in
                used.initialize(repeating: false)
                var previous: UInt64?
                for value in sample {
                    let bits = value.bitPattern
                    defer { previous = bits }
                    var slot = Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) &>> 54) % slots
                    while used[slot], keys[slot] != bits { slot = (slot + 1) % slots }
                    if used[slot] {
                        if bits != previous { recurring += 1 }
                    } else {
                        used[slot] = true
                        keys[slot] = bits
                    }
                }
            }
        }
        return recurring * 4 >= count
    }

    /// The little-endian bytes of `values` transposed: byte 0 of every value, then byte 1, ...
    /// Signs, exponents and high mantissa bits then sit next to their like, which deflate
    /// compresses far better than interleaved doubles.
    private static func bytePlanes(_ values: UnsafeBufferPointer<Double>) -> [UInt8] {
        let count = values.count
        return [UInt8](unsafeUninitializedCapacity: count * 8) { planes, initialized in
            for index in 0 ..< count {
                let bits = values[index].bitPattern
                for plane in 0 ..< 8 {
                    planes[plane * count + index] = UInt8(truncatingIfNeeded: bits &>> UInt64(plane * 8))
                }
            }
            initialized = count * 8
        }
    }
}
