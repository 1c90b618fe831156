import CZlib

/// CRC-32 (the zlib/PNG/Ethernet polynomial) that seals every segment.
///
/// Any single flipped byte, and any burst of up to 32 flipped bits, changes it, so a decoder that
/// checks it first never hands out numbers from a damaged segment.
enum Checksum {
    /// CRC-32 of `bytes`.
    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0 }
        // zlib takes a 32-bit length; larger buffers go in pieces.
        var crc = CZlib.crc32(0, nil, 0)
        var offset = 0
        while offset < bytes.count {
            let length = min(bytes.count - offset, 1 << 30)
            crc = CZlib.crc32(crc, base.assumingMemoryBound(to: UInt8.self) + offset, UInt32(length))
            offset += length
        }
        return UInt32(truncatingIfNeeded: crc)
    }
}
