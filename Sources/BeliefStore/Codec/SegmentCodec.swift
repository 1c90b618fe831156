/// Encodes the beliefs of one segment into a compact, checksummed blob and back.
///
/// Format version 1. Integers are little-endian; `varint` is unsigned LEB128; `zigzag` is a varint
/// of the zigzag-mapped signed value (0, -1, 1, -2, ... as 0, 1, 2, 3, ...).
///
///     segment       = version:u8 count:varint
///                     eventStarts:int-column beliefOffsets:int-column
///                     probabilities:double-column values:double-column
///                     crc32:u32                              CRC-32 (zlib) of every byte before it
///
///     int-column    = 0x10 value:zigzag                      all equal
///                   | 0x11 first:zigzag step:zigzag          v[i] = first + i * step
///                   | 0x12 first:zigzag block*               blocks of the count - 1 deltas v[i] - v[i-1]
///                   | 0x13 block*                            blocks of the values themselves
///     block         = minimum:zigzag header:u8 packed patches?
///                                                            128 items, the last block of a column fewer
///     header        = width (0...64), plus 0x80 when patches follow
///     packed        = ceil(items * width / 8) bytes: the low `width` bits of each (item - minimum),
///                     least significant bit first
///     patches       = count:u8 (index:u8 high:varint)*       adds high << width to (item - minimum) at
///                                                            increasing indexes; only when width < 64
///
///     double-column = 0x20 bits:u64                          all the same bit pattern
///                   | 0x21 e:u8 int-column                   v[i] = Double(n[i]) / 10^e, e in 0...10,
///                          count:varint (gap:varint bits:u64)*   then exceptions: raw bit patterns at
///                                                            position = previous + 1 + gap, from -1
///                   | 0x22 (bits:u64)*                       raw, count values
///                   | 0x23 xor-stream                        Gorilla XOR bit stream, see XORValueCodec
///                   | 0x24 length:varint bytes               zlib stream (compress2) of the values'
///                                                            bytes transposed into 8 byte planes
///
/// Belief times are stored as `beliefTime - eventStart`, so one horizon for a whole segment is a
/// constant column and one arrival time for a whole post is a linear one (daily posts cost one
/// patch a day). Integer arithmetic wraps, so the whole Int64 range survives. The encoder picks
/// each column's smallest encoding, except that it keeps a decimal column of at most 3 bytes a
/// value without trying XOR and deflate, and deflates only to save at least an eighth, because
/// inflating is ten times slower than the rest; the decoder only follows tags.
///
/// Invariant across versions: byte 0 is the version and the last four bytes are the CRC-32 of
/// everything before them. The checksum is verified before anything else is read, so a damaged
/// blob is reported as damaged, and an intact newer one as
/// ``SegmentCodecError/unsupportedVersion(_:)``.
public enum SegmentCodec {
    /// Version byte written at the start of every segment.
    public static let formatVersion: UInt8 = 1

    /// Most beliefs one segment may hold. It bounds what a blob can make the decoder allocate
    /// (a constant column describes any count in a few bytes); larger runs go to several segments.
    public static let maximumCount = 1 << 20

    /// The segment blob of `columns`, whose four arrays must have equal counts of at most
    /// ``maximumCount``.
    public static func encode(_ columns: SegmentColumns) -> [UInt8] {
        let count = columns.count
        precondition(
            columns.beliefTimes.count == count && columns.probabilities.count == count
                && columns.values.count == count,
            "segment columns must have equal counts"
        )
        precondition(count <= maximumCount, "a segment holds at most \(maximumCount) beliefs")

        var writer = ByteWriter(capacity: 32 + count * 2)
        writer.append(formatVersion)
        writer.appendVarint(UInt64(count))
        columns.eventStarts.withUnsafeBufferPointer { IntegerColumnCodec.encode($0, into: &writer) }
        let offsets = [Int64](unsafeUninitializedCapacity: count) { offsets, initialized in
            columns.beliefTimes.withUnsafeBufferPointer { beliefTimes in
                columns.eventStarts.withUnsafeBufferPointer { eventStarts in
                    for index in 0 ..< count { offsets[index] = beliefTimes[index] &- eventStarts[index] }
                }
            }
            initialized = count
        }
        offsets.withUnsafeBufferPointer { IntegerColumnCodec.encode($0, into: &writer) }
        columns.probabilities.withUnsafeBufferPointer { DoubleColumnCodec.encode($0, into: &writer) }
        columns.values.withUnsafeBufferPointer { DoubleColumnCodec.encode($0, into: &writer) }
        let checksum = writer.bytes.withUnsafeBytes { Checksum.crc32($0) }
        writer.appendLittleEndian(checksum)
        return writer.bytes
    }

    /// The columns of a segment blob written by ``encode(_:)``, or why it cannot be read.
    ///
    /// The blob is checksummed first; every later read is bounds-checked, so neither damaged
    /// nor crafted input can fault or yield numbers that were not written.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(SegmentCodecError) -> SegmentColumns {
        // The shortest segment: version, count and checksum.
        guard bytes.count >= 1 + 1 + 4 else { throw .truncated }
        let payloadCount = bytes.count - 4
        let stored = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: payloadCount, as: UInt32.self))
        let computed = Checksum.crc32(UnsafeRawBufferPointer(rebasing: bytes[0 ..< payloadCount]))
        guard stored == computed else { throw .checksumMismatch(expected: stored, actual: computed) }

        var reader = ByteReader(bytes, end: payloadCount)
        let version = try reader.readByte()
        guard version == formatVersion else { throw .unsupportedVersion(version) }
        let count = try reader.readCount(atMost: maximumCount, "belief count")

        let eventStarts = try [Int64](unsafeUninitializedCapacity: count) {
            (eventStarts, initialized) throws(SegmentCodecError) in
            try IntegerColumnCodec.decode(from: &reader, into: eventStarts)
            initialized = count
        }
        let beliefTimes = try [Int64](unsafeUninitializedCapacity: count) {
            (beliefTimes, initialized) throws(SegmentCodecError) in
            try IntegerColumnCodec.decode(from: &reader, into: beliefTimes)
            eventStarts.withUnsafeBufferPointer { eventStarts in
                for index in 0 ..< count { beliefTimes[index] &+= eventStarts[index] }
            }
            initialized = count
        }
        let probabilities = try decodeDoubles(from: &reader, count: count)
        let values = try decodeDoubles(from: &reader, count: count)
        guard reader.isAtEnd else { throw .malformed("\(reader.remaining) bytes after the last column") }
        return SegmentColumns(
            eventStarts: eventStarts, beliefTimes: beliefTimes, probabilities: probabilities, values: values
        )
    }

    /// The columns of a segment blob held in any byte collection: `[UInt8]`, `ArraySlice`, or
    /// Foundation's `Data` as handed out for SQLite blobs.
    public static func decode(_ bytes: some Collection<UInt8>) throws(SegmentCodecError) -> SegmentColumns {
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(SegmentCodecError) in try decode(UnsafeRawBufferPointer(buffer)) }
        }
        if let contiguous { return try contiguous.get() }
        return try decode(Array(bytes))
    }

    private static func decodeDoubles(
        from reader: inout ByteReader, count: Int
    ) throws(SegmentCodecError) -> [Double] {
        try [Double](unsafeUninitializedCapacity: count) { (values, initialized) throws(SegmentCodecError) in
            try DoubleColumnCodec.decode(from: &reader, into: values)
            initialized = count
        }
    }
}
