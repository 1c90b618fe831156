@testable import BeliefStore
import Testing
import TestSupport

/// Damaged, truncated, foreign and crafted blobs: decoding throws, never crashes and never
/// returns numbers that were not written.
@Suite struct SegmentCodecCorruptionTests {
    static let segments: [Segment] = {
        var random = SeededGenerator(seed: 11)
        var segments: [Segment] = []
        segments.append(Segment(name: "meter readings", columns: CodecFixtures.meterSegment(count: 300)))
        segments.append(Segment(name: "day-ahead prices", columns: CodecFixtures.priceSegment(count: 300)))
        segments.append(Segment(name: "random doubles", columns: CodecFixtures.measured(CodecFixtures.randomDoubles(count: 60))))
        segments.append(Segment(name: "decimals with exceptions", columns: CodecFixtures.measured((0 ..< 200).map { index in
            index % 17 == 3 ? -0.0 : Double(index % 50) * 0.25
        })))
        segments.append(Segment(name: "runs of a non-decimal", columns: CodecFixtures.measured((0 ..< 200).map { Double($0 / 40) / 3 })))
        segments.append(Segment(name: "few distinct non-decimals", columns: CodecFixtures.measured((0 ..< 200).map { _ in
            [Double.pi, 1.0 / 3.0, 2.0.squareRoot()][Int.random(in: 0 ..< 3, using: &random)]
        })))
        segments.append(Segment(name: "irregular times", columns: SegmentColumns(
            eventStarts: (0 ..< 150).map { Int64($0 * $0) * 1_000_003 },
            beliefTimes: (0 ..< 150).map { _ in Int64.random(in: .min ... .max, using: &random) },
            probabilities: (0 ..< 150).map { [0.1, 0.5, 0.9][$0 % 3] },
            values: (0 ..< 150).map { Double($0) }
        )))
        segments.append(Segment(name: "one belief", columns: CodecFixtures.measured([21.5])))
        segments.append(Segment(name: "empty", columns: SegmentColumns()))
        return segments
    }()

    static let masks: [UInt8] = [0x01, 0x10, 0x80, 0xFF]

    @Test(arguments: segments)
    func everyFlippedByteIsReportedAsAChecksumMismatch(_ segment: Segment) {
        let bytes = SegmentCodec.encode(segment.columns)
        for offset in bytes.indices {
            for mask in Self.masks {
                var damaged = bytes
                damaged[offset] ^= mask
                #expect(throws: SegmentCodecError.self, "byte \(offset) ^ \(mask)") {
                    try SegmentCodec.decode(damaged)
                }
                if case .checksumMismatch = Self.error(decoding: damaged) {} else {
                    Issue.record("byte \(offset) ^ \(mask) was not reported as a checksum mismatch")
                }
            }
        }
    }

    @Test(arguments: segments)
    func everyTruncationIsRejected(_ segment: Segment) {
        let bytes = SegmentCodec.encode(segment.columns)
        for length in 0 ..< bytes.count {
            #expect(throws: SegmentCodecError.self, "\(length) of \(bytes.count) bytes") {
                try SegmentCodec.decode(bytes[0 ..< length])
            }
        }
    }

    @Test func randomDamageToLargeSegmentsIsRejected() {
        var random = SeededGenerator(seed: 12)
        let large = [
            CodecFixtures.meterSegment(count: 4096),
            CodecFixtures.priceSegment(count: 4096),
            CodecFixtures.measured(CodecFixtures.randomDoubles(count: 4096)),
        ]
        for columns in large {
            let bytes = SegmentCodec.encode(columns)
            for _ in 0 ..< 300 {
                var damaged = bytes
                // One byte, or a burst of up to 16 bytes, or a scatter of up to 8 bytes.
                switch Int.random(in: 0 ..< 3, using: &random) {
                case 0:
                    damaged[Int.random(in: damaged.indices, using: &random)] ^= UInt8.random(in: 1 ... 255, using: &random)
                case 1:
                    let start = Int.random(in: damaged.indices, using: &random)
                    for offset in start ..< min(start + Int.random(in: 1 ... 16, using: &random), damaged.count) {
                        damaged[offset] = UInt8.random(in: 0 ... 255, using: &random)
                    }
                default:
                    for _ in 0 ..< Int.random(in: 1 ... 8, using: &random) {
                        damaged[Int.random(in: damaged.indices, using: &random)] ^= UInt8.random(in: 1 ... 255, using: &random)
                    }
                }
                if damaged == bytes { continue }
                #expect(throws: SegmentCodecError.self) { try SegmentCodec.decode(damaged) }
            }
            for length in stride(from: 0, to: bytes.count, by: 7) {
                #expect(throws: SegmentCodecError.self) { try SegmentCodec.decode(bytes[0 ..< length]) }
            }
        }
    }

    @Test func bytesAppendedAfterTheChecksumAreRejected() {
        let bytes = SegmentCodec.encode(CodecFixtures.meterSegment(count: 100))
        #expect(throws: SegmentCodecError.self) { try SegmentCodec.decode(bytes + [0]) }
        #expect(throws: SegmentCodecError.self) { try SegmentCodec.decode(bytes + bytes) }
    }

    @Test func bytesInsertedBeforeTheChecksumAreMalformed() {
        let bytes = SegmentCodec.encode(CodecFixtures.meterSegment(count: 100))
        let padded = CodecFixtures.resealed(bytes.dropLast(4) + [0, 0, 0, 0, 0])
        #expect(Self.error(decoding: padded) == .malformed("1 bytes after the last column"))
    }

    @Test(arguments: [UInt8(0), 2, 0x7F, 0xFF])
    func anotherFormatVersionIsUnsupported(version: UInt8) {
        var bytes = SegmentCodec.encode(CodecFixtures.meterSegment(count: 100))
        bytes[0] = version
        #expect(Self.error(decoding: CodecFixtures.resealed(bytes)) == .unsupportedVersion(version))
    }

    @Test func aDamagedVersionByteIsAChecksumMismatchNotAnUnsupportedVersion() {
        var bytes = SegmentCodec.encode(CodecFixtures.meterSegment(count: 100))
        bytes[0] = 2
        guard case .checksumMismatch = Self.error(decoding: bytes) else {
            Issue.record("expected a checksum mismatch")
            return
        }
    }

    @Test func inputsTooShortForAChecksumAreTruncated() {
        for length in 0 ..< 6 {
            #expect(Self.error(decoding: [UInt8](repeating: 1, count: length)) == .truncated)
        }
    }

    @Test func aCountAboveTheMaximumIsMalformedBeforeAnythingIsAllocated() {
        var writer = ByteWriter(capacity: 16)
        writer.append(SegmentCodec.formatVersion)
        writer.appendVarint(UInt64(SegmentCodec.maximumCount) + 1)
        writer.append(IntegerColumnCodec.Tag.constant.rawValue)
        writer.appendZigZag(0)
        let crafted = CodecFixtures.resealed(writer.bytes + [0, 0, 0, 0])
        guard case .malformed = Self.error(decoding: crafted) else {
            Issue.record("expected malformed")
            return
        }
    }

    /// Mutations behind an intact checksum exercise every bounds check of the decoder: it must
    /// throw or return columns of one count, and never trap.
    @Test(arguments: segments)
    func resealedMutationsNeverCrashTheDecoder(_ segment: Segment) {
        var random = SeededGenerator(seed: UInt64(segment.name.utf8.count))
        let body = Array(SegmentCodec.encode(segment.columns).dropLast(4))
        for _ in 0 ..< 400 {
            var mutated = body
            switch Int.random(in: 0 ..< 5, using: &random) {
            case 0:
                for _ in 0 ..< Int.random(in: 1 ... 4, using: &random) where !mutated.isEmpty {
                    mutated[Int.random(in: mutated.indices, using: &random)] = UInt8.random(in: 0 ... 255, using: &random)
                }
            case 1:
                mutated.removeLast(Int.random(in: 0 ... mutated.count, using: &random))
            case 2:
                mutated.insert(UInt8.random(in: 0 ... 255, using: &random), at: Int.random(in: 0 ... mutated.count, using: &random))
            case 3:
                if mutated.count > 1 { mutated.remove(at: Int.random(in: 1 ..< mutated.count, using: &random)) }
            default:
                // Keep the version and count, replace everything after them with noise.
                let keep = min(mutated.count, 3)
                mutated = Array(mutated[0 ..< keep]) + (0 ..< Int.random(in: 0 ... 64, using: &random)).map { _ in
                    UInt8.random(in: 0 ... 255, using: &random)
                }
            }
            if let columns = try? SegmentCodec.decode(CodecFixtures.resealed(mutated + [0, 0, 0, 0])) {
                #expect(columns.beliefTimes.count == columns.count)
                #expect(columns.probabilities.count == columns.count)
                #expect(columns.values.count == columns.count)
            }
        }
    }

    private static func error(decoding bytes: [UInt8]) -> SegmentCodecError? {
        do {
            _ = try SegmentCodec.decode(bytes)
            return nil
        } catch {
            return error
        }
    }
}

extension SegmentCodecCorruptionTests {
    /// A named segment for the parameterised corruption tests.
    struct Segment: Sendable, CustomTestStringConvertible {
        let name: String
        let columns: SegmentColumns
        var testDescription: String { name }
    }
}
