/// Why a segment blob could not be decoded. No error ever comes with partial or guessed numbers.
public enum SegmentCodecError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The CRC-32 stored in the last four bytes does not match the bytes before it: the blob was
    /// damaged after it was written.
    case checksumMismatch(expected: UInt32, actual: UInt32)
    /// The checksum is intact but the format version byte is one this build cannot read (a newer
    /// writer, or not a segment at all).
    case unsupportedVersion(UInt8)
    /// The blob ends before the data it announces.
    case truncated
    /// The blob is intact and versioned but its contents contradict the format.
    case malformed(String)

    /// A one-line explanation for logs and `db-ops` output.
    public var description: String {
        switch self {
        case let .checksumMismatch(expected, actual):
            "segment checksum mismatch: stored \(hex(expected)), computed \(hex(actual)); the segment is damaged"
        case let .unsupportedVersion(version):
            "segment format version \(version) is not supported (this build reads version \(SegmentCodec.formatVersion))"
        case .truncated:
            "segment is truncated"
        case let .malformed(reason):
            "segment is malformed: \(reason)"
        }
    }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}
