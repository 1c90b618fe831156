/// The decoder's input cursor: every read is bounds-checked and throws ``SegmentCodecError/truncated``
/// instead of reading past the end, so corrupt or crafted input can never fault.
///
/// A reader is only valid inside the `withUnsafeBytes` scope of the buffer it reads.
struct ByteReader {
    /// Start of the readable bytes.
    private let base: UnsafeRawPointer
    /// Offset one past the last byte that reads may return.
    let end: Int
    /// Bytes after `end` that are still mapped (the segment's checksum), which lets bulk
    /// unpacking load whole 8-byte words near the end without a slow byte-wise tail.
    private let slack: Int
    /// Offset of the next byte to read.
    private(set) var offset: Int

    /// Reads `buffer[0 ..< end]`; `buffer[end...]` stays readable for word loads only.
    init(_ buffer: UnsafeRawBufferPointer, end: Int) {
        // An empty buffer may have a nil base; any non-null address works as nothing is read from it.
        base = UnsafeRawPointer(buffer.baseAddress) ?? UnsafeRawPointer(bitPattern: 0x10)!
        self.end = end
        slack = buffer.count - end
        offset = 0
    }

    /// Bytes left before `end`.
    var remaining: Int { end - offset }

    /// The bytes not read yet, for decoders that find their own length (the XOR bit stream);
    /// they advance past what they used with ``readBytes(count:)``.
    var unread: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base + offset, count: end - offset) }

    /// Whether every byte up to `end` has been read.
    var isAtEnd: Bool { offset == end }

    /// Reads one byte.
    @inline(__always)
    mutating func readByte() throws(SegmentCodecError) -> UInt8 {
        guard offset < end else { throw .truncated }
        let byte = base.load(fromByteOffset: offset, as: UInt8.self)
        offset += 1
        return byte
    }

    /// Reads an unsigned LEB128 varint of at most 10 bytes whose value fits 64 bits.
    @inline(__always)
    mutating func readVarint() throws(SegmentCodecError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            if shift == 63, byte > 1 {
                throw .malformed("varint longer than 64 bits")
            }
            result |= UInt64(byte & 0x7F) &<< shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    /// Reads a zigzag-mapped varint.
    @inline(__always)
    mutating func readZigZag() throws(SegmentCodecError) -> Int64 {
        ZigZag.decode(try readVarint())
    }

    /// Reads a varint that counts or indexes something, rejecting values above `limit`.
    @inline(__always)
    mutating func readCount(atMost limit: Int, _ what: @autoclosure () -> String) throws(SegmentCodecError) -> Int {
        let value = try readVarint()
        guard value <= UInt64(limit) else { throw .malformed("\(what()) \(value) exceeds \(limit)") }
        return Int(value)
    }

    /// Reads eight bytes, least significant first.
    @inline(__always)
    mutating func readUInt64() throws(SegmentCodecError) -> UInt64 {
        guard end - offset >= 8 else { throw .truncated }
        let value = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        offset += 8
        return UInt64(littleEndian: value)
    }

    /// Consumes `count` bytes and returns them together with how many bytes from their start may
    /// be loaded without faulting (`count` plus whatever follows in the buffer).
    @inline(__always)
    mutating func readBytes(count: Int) throws(SegmentCodecError) -> (bytes: UnsafeRawBufferPointer, loadable: Int) {
        guard count >= 0, end - offset >= count else { throw .truncated }
        let start = base + offset
        let loadable = end + slack - offset
        offset += count
        return (UnsafeRawBufferPointer(start: start, count: count), loadable)
    }
}
