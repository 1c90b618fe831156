/// A forward-only cursor over the UTF-8 bytes of a timestamp or duration.
///
/// The ISO 8601 grammar here is pure ASCII, so any other byte simply fails to match.
struct ASCIIScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position == bytes.count }

    var peek: UInt8? { isAtEnd ? nil : bytes[position] }

    mutating func advance() -> UInt8? {
        guard !isAtEnd else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    /// Consumes `byte` if it is next.
    mutating func skip(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        position += 1
        return true
    }

    /// Consumes exactly `count` decimal digits, or nothing.
    mutating func fixedDigits(_ count: Int) -> Int? {
        guard bytes.count - position >= count else { return nil }
        var value = 0
        for offset in 0..<count {
            let digit = bytes[position + offset] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        position += count
        return value
    }

    /// Consumes a run of one or more digits; nil when there is none or it overflows.
    mutating func unsignedInteger() -> UInt64? {
        var value: UInt64 = 0
        var count = 0
        while let byte = peek, case let digit = byte &- UInt8(ascii: "0"), digit < 10 {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            count += 1
            position += 1
        }
        return count > 0 ? value : nil
    }

    /// After a decimal sign, consumes 1 to `maxDigits` digits as a fraction `numerator / 10^digitCount`.
    mutating func fraction(maxDigits: Int) -> (numerator: UInt64, digitCount: Int)? {
        let start = position
        guard let numerator = unsignedInteger() else { return nil }
        let digitCount = position - start
        return digitCount <= maxDigits ? (numerator, digitCount) : nil
    }

    /// Consumes ISO 8601's decimal sign: a full stop or, as the standard prefers, a comma.
    mutating func skipDecimalSign() -> Bool {
        skip(UInt8(ascii: ".")) || skip(UInt8(ascii: ","))
    }
}

extension String {
    /// Runs `body` over contiguous UTF-8 bytes; free for native strings, one copy for bridged ones.
    func withContiguousUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var copy = self
        return copy.withUTF8(body)
    }
}

/// Powers of ten up to 10^9, the longest fraction the parsers accept.
let powersOfTen: [UInt64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000]
