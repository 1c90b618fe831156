@testable import BeliefStore
import Foundation
import Testing
import TestSupport

/// Deterministic inputs for the segment codec tests: seeded randomness and realistic series.
enum CodecFixtures {
    /// 2024-03-01T00:00:00Z in microseconds since the epoch.
    static let march2024: Int64 = 1_709_251_200_000_000
    static let minute: Int64 = 60_000_000
    static let quarterHour: Int64 = 15 * minute
    static let day: Int64 = 24 * 60 * minute

    /// `10^exponent` as an integer.
    static func powerOfTen(_ exponent: Int) -> Int {
        (0 ..< exponent).reduce(1) { product, _ in product * 10 }
    }

    /// `count` regular quarter-hour event starts from March 2024.
    static func regularEventStarts(count: Int) -> [Int64] {
        (0 ..< count).map { march2024 + Int64($0) * quarterHour }
    }

    /// Beliefs about `values` at regular quarter hours, each made 5 minutes after its event ended.
    static func measured(_ values: [Double]) -> SegmentColumns {
        let starts = regularEventStarts(count: values.count)
        return SegmentColumns(
            eventStarts: starts,
            beliefTimes: starts.map { $0 + quarterHour + 5 * minute },
            probabilities: Array(repeating: 0.5, count: values.count),
            values: values
        )
    }

    /// Power readings in MW with a daily shape, 3 decimals: 0.3 + 0.2 sin(day) + noise of +-0.005.
    static func meterValues(count: Int, seed: UInt64 = 1) -> [Double] {
        var random = SeededGenerator(seed: seed)
        return (0 ..< count).map { index in
            let shape = 0.3 + 0.2 * sin(2 * Double.pi * Double(index) / 96)
            return ((shape + Double.random(in: -0.005 ... 0.005, using: &random)) * 1000).rounded() / 1000
        }
    }

    /// Day-ahead prices in EUR/MWh, 2 decimals: 45 + 15 sin(day) + noise of +-3.
    static func priceValues(count: Int, seed: UInt64 = 2) -> [Double] {
        var random = SeededGenerator(seed: seed)
        return (0 ..< count).map { index in
            let shape = 45 + 15 * sin(2 * Double.pi * Double(index) / 96)
            return ((shape + Double.random(in: -3 ... 3, using: &random)) * 100).rounded() / 100
        }
    }

    /// Meter readings measured 5 minutes after each quarter hour.
    static func meterSegment(count: Int) -> SegmentColumns {
        measured(meterValues(count: count))
    }

    /// Prices for quarter hours as a day-ahead market publishes them: one post per day, made at
    /// noon the day before, so every belief of a day shares one belief time.
    static func priceSegment(count: Int) -> SegmentColumns {
        let starts = regularEventStarts(count: count)
        return SegmentColumns(
            eventStarts: starts,
            beliefTimes: starts.map { start in
                let dayStart = start - (start - march2024) % day
                return dayStart - 12 * 60 * minute
            },
            probabilities: Array(repeating: 0.5, count: count),
            values: priceValues(count: count)
        )
    }

    /// Full-precision doubles spread over many magnitudes and both signs.
    static func randomDoubles(count: Int, seed: UInt64 = 3) -> [Double] {
        var random = SeededGenerator(seed: seed)
        return (0 ..< count).map { _ in
            let mantissa = Double.random(in: -1 ... 1, using: &random)
            return mantissa * pow(10, Double(Int.random(in: -20 ... 20, using: &random)))
        }
    }

    /// A copy of `bytes` whose checksum is recomputed, so that the decoder looks past it.
    static func resealed(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 4 else { return bytes }
        var body = Array(bytes.dropLast(4))
        let checksum = body.withUnsafeBytes { Checksum.crc32($0) }
        withUnsafeBytes(of: checksum.littleEndian) { body.append(contentsOf: $0) }
        return body
    }

    /// The tag byte that `encode` writes for a double column.
    static func doubleColumnTag(_ values: [Double]) -> DoubleColumnCodec.Tag? {
        var writer = ByteWriter(capacity: 16)
        values.withUnsafeBufferPointer { DoubleColumnCodec.encode($0, into: &writer) }
        return DoubleColumnCodec.Tag(rawValue: writer.bytes[0])
    }

    /// The encoded bytes of an integer column.
    static func integerColumn(_ values: [Int64]) -> [UInt8] {
        var writer = ByteWriter(capacity: 16)
        values.withUnsafeBufferPointer { IntegerColumnCodec.encode($0, into: &writer) }
        return writer.bytes
    }

    /// Decodes an integer column of `count` values from `bytes`.
    static func decodeIntegerColumn(_ bytes: [UInt8], count: Int) throws(SegmentCodecError) -> [Int64] {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(SegmentCodecError) in
                var reader = ByteReader(buffer, end: buffer.count)
                let values = try [Int64](unsafeUninitializedCapacity: count) { (output, initialized) throws(SegmentCodecError) in
                    try IntegerColumnCodec.decode(from: &reader, into: output)
                    initialized = count
                }
                guard reader.isAtEnd else { throw SegmentCodecError.malformed("trailing bytes") }
                return values
            }
        }
        return try result.get()
    }
}

/// Expects `actual` to hold exactly the numbers of `expected`, doubles compared by bit pattern.
func expectBitIdentical(
    _ actual: SegmentColumns, _ expected: SegmentColumns, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(actual.eventStarts == expected.eventStarts, sourceLocation: sourceLocation)
    #expect(actual.beliefTimes == expected.beliefTimes, sourceLocation: sourceLocation)
    #expect(actual.probabilities.map(\.bitPattern) == expected.probabilities.map(\.bitPattern), sourceLocation: sourceLocation)
    #expect(actual.values.map(\.bitPattern) == expected.values.map(\.bitPattern), sourceLocation: sourceLocation)
}
