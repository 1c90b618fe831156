@testable import BeliefStore
import Foundation
import Testing
import TestSupport

@Suite struct SegmentCodecRoundTripTests {
    static let valueCases: [ValueColumn] = {
        var random = SeededGenerator(seed: 42)
        var cases: [ValueColumn] = []
        cases.append(ValueColumn(name: "one value", values: [42.125]))
        cases.append(ValueColumn(name: "negative zero", values: [-0.0]))
        cases.append(ValueColumn(name: "positive zero", values: [0.0]))
        cases.append(ValueColumn(name: "both zeros", values: [0.0, -0.0, 0.0, 1.5, -0.0, -0.0]))
        cases.append(ValueColumn(name: "huge magnitudes", values: [1e300, -1e300, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e300, 2.5]))
        cases.append(ValueColumn(name: "tiny magnitudes (5e-324 and least normal)", values: [.leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, -.leastNormalMagnitude, 2 * .leastNonzeroMagnitude, 0.001]))
        cases.append(ValueColumn(name: "long run of one decimal", values: Array(repeating: 0.125, count: 3000)))
        cases.append(ValueColumn(name: "long run of one non-decimal", values: Array(repeating: 1.0 / 3.0, count: 3000)))
        cases.append(ValueColumn(name: "runs of repeats", values: (0 ..< 4000).map { Double($0 / 250) * 0.7 }))
        cases.append(ValueColumn(name: "random doubles", values: CodecFixtures.randomDoubles(count: 2000)))
        cases.append(ValueColumn(name: "random bit patterns", values: (0 ..< 1000).map { _ in
            var value = Double(bitPattern: random.next())
            while !value.isFinite { value = Double(bitPattern: random.next()) }
            return value
        }))
        for digits in 0 ... 4 {
            let scale = Double(CodecFixtures.powerOfTen(digits))
            cases.append(ValueColumn(name: "decimals with \(digits) digits", values: (0 ..< 1000).map { _ in
                (Double.random(in: -5000 ... 5000, using: &random) * scale).rounded() / scale
            }))
        }
        cases.append(ValueColumn(name: "decimals with a few exceptions", values: (0 ..< 1000).map { index in
            switch index % 97 {
            case 13: return 1.0 / 3.0
            case 50: return -0.0
            case 70: return .pi
            default: return (Double.random(in: 0 ... 20, using: &random) * 100).rounded() / 100
            }
        }))
        cases.append(ValueColumn(name: "exceptions first", values: [.pi, .pi, 0.5, 0.25, 0.75]))
        cases.append(ValueColumn(name: "negative prices", values: CodecFixtures.priceValues(count: 1000).map { $0 - 60 }))
        cases.append(ValueColumn(name: "meter readings", values: CodecFixtures.meterValues(count: 4096)))
        cases.append(ValueColumn(name: "decimals beyond exact integers", values: [4e15, 4.5e15 + 2, 9.007199254740993e15, 1e17, 0.1, 123.456]))
        cases.append(ValueColumn(name: "few distinct non-decimals", values: (0 ..< 2000).map { _ in
            [Double.pi, 2.718281828459045, 2.0.squareRoot(), 1.0 / 3.0][Int.random(in: 0 ..< 4, using: &random)]
        }))
        cases.append(ValueColumn(name: "smooth full precision", values: (0 ..< 2000).map { sin(Double($0) / 50) * 12.5 }))
        cases.append(ValueColumn(name: "values widened from Float", values: (0 ..< 1000).map { Double(Float(20 + Double($0 % 40) * 0.1)) }))
        cases.append(ValueColumn(name: "not finite", values: [.nan, .infinity, -.infinity, 1.5, .signalingNaN, Double(nan: 0x1234, signaling: false)]))
        return cases
    }()

    static let timeCases: [TimeColumns] = {
        var random = SeededGenerator(seed: 7)
        let regular = CodecFixtures.regularEventStarts(count: 1000)
        var irregular: [Int64] = []
        var start = CodecFixtures.march2024
        for _ in 0 ..< 1000 {
            irregular.append(start)
            start += Int64.random(in: 0 ... 3600, using: &random) * 1_000_000 + Int64.random(in: 0 ..< 1000, using: &random)
        }
        var gappy: [Int64] = []
        for (index, start) in regular.enumerated() where index % 300 != 7 && !(400 ..< 460).contains(index) {
            gappy.append(start)
        }
        var cases: [TimeColumns] = []
        cases.append(TimeColumns(name: "regular, constant horizon", eventStarts: regular, beliefTimes: regular.map { $0 + CodecFixtures.quarterHour }))
        cases.append(TimeColumns(name: "regular, one arrival time", eventStarts: regular, beliefTimes: Array(repeating: CodecFixtures.march2024 - CodecFixtures.day, count: 1000)))
        cases.append(TimeColumns(name: "regular, jittered arrivals", eventStarts: regular, beliefTimes: regular.map {
            $0 + CodecFixtures.quarterHour + Int64.random(in: 0 ... 30_000_000, using: &random)
        }))
        cases.append(TimeColumns(name: "regular with gaps", eventStarts: gappy, beliefTimes: gappy.map { $0 - CodecFixtures.day }))
        cases.append(TimeColumns(name: "irregular, varying offsets", eventStarts: irregular, beliefTimes: irregular.map {
            $0 + Int64.random(in: -86_400_000_000 ... 86_400_000_000, using: &random)
        }))
        cases.append(TimeColumns(name: "several horizons per event", eventStarts: regular.flatMap { [$0, $0, $0] }, beliefTimes: regular.flatMap {
            [$0 - CodecFixtures.day, $0 - 6 * 60 * CodecFixtures.minute, $0 - 60 * CodecFixtures.minute]
        }))
        cases.append(TimeColumns(name: "Int64 extremes", eventStarts: [.min, .min, -1, 0, 1, .max, .max], beliefTimes: [.max, .min, .min, .max, 0, .min, .max]))
        cases.append(TimeColumns(name: "wrapping linear", eventStarts: (0 ..< 300).map { Int64.max &- 100 &+ Int64($0) &* (Int64.max / 7) }, beliefTimes: Array(repeating: .min, count: 300)))
        cases.append(TimeColumns(name: "random 64-bit", eventStarts: (0 ..< 500).map { _ in Int64(bitPattern: random.next()) }, beliefTimes: (0 ..< 500).map { _ in Int64(bitPattern: random.next()) }))
        return cases
    }()

    @Test func emptySegmentRoundTrips() throws {
        let bytes = SegmentCodec.encode(SegmentColumns())
        let decoded = try SegmentCodec.decode(bytes)
        #expect(decoded.count == 0)
        #expect(decoded == SegmentColumns())
    }

    @Test(arguments: valueCases)
    func valuesRoundTripBitExactly(_ column: ValueColumn) throws {
        let columns = CodecFixtures.measured(column.values)
        let decoded = try SegmentCodec.decode(SegmentCodec.encode(columns))
        expectBitIdentical(decoded, columns)
    }

    @Test(arguments: timeCases)
    func timesRoundTripExactly(_ times: TimeColumns) throws {
        let count = times.eventStarts.count
        let columns = SegmentColumns(
            eventStarts: times.eventStarts, beliefTimes: times.beliefTimes,
            probabilities: Array(repeating: 0.5, count: count), values: (0 ..< count).map { Double($0) }
        )
        let decoded = try SegmentCodec.decode(SegmentCodec.encode(columns))
        expectBitIdentical(decoded, columns)
    }

    @Test func probabilitiesOtherThanOneHalfRoundTrip() throws {
        let starts = CodecFixtures.regularEventStarts(count: 300).flatMap { [$0, $0, $0] }
        let columns = SegmentColumns(
            eventStarts: starts, beliefTimes: starts.map { $0 - CodecFixtures.day },
            probabilities: (0 ..< starts.count).map { [0.1, 0.5, 0.9][$0 % 3] },
            values: (0 ..< starts.count).map { Double($0 % 3) + 0.25 }
        )
        let decoded = try SegmentCodec.decode(SegmentCodec.encode(columns))
        expectBitIdentical(decoded, columns)
    }

    @Test func oddProbabilitiesRoundTrip() throws {
        var random = SeededGenerator(seed: 9)
        let starts = CodecFixtures.regularEventStarts(count: 500)
        let columns = SegmentColumns(
            eventStarts: starts, beliefTimes: starts,
            probabilities: (0 ..< 500).map { _ in Double.random(in: 0 ... 1, using: &random) },
            values: Array(repeating: -0.0, count: 500)
        )
        let decoded = try SegmentCodec.decode(SegmentCodec.encode(columns))
        expectBitIdentical(decoded, columns)
    }

    @Test(arguments: [1, 2, 127, 128, 129, 255, 256, 257, 1000, 4096])
    func segmentsOfEveryBlockBoundaryRoundTrip(count: Int) throws {
        for columns in [CodecFixtures.meterSegment(count: count), CodecFixtures.priceSegment(count: count)] {
            let decoded = try SegmentCodec.decode(SegmentCodec.encode(columns))
            expectBitIdentical(decoded, columns)
        }
    }

    @Test func decodingAcceptsSlicesDataAndUnalignedBuffers() throws {
        let columns = CodecFixtures.meterSegment(count: 700)
        let bytes = SegmentCodec.encode(columns)
        let shifted: [UInt8] = [0xAA] + bytes
        expectBitIdentical(try SegmentCodec.decode(shifted[1...]), columns)
        let fromPointer = try shifted.withUnsafeBytes { buffer in
            try SegmentCodec.decode(UnsafeRawBufferPointer(rebasing: buffer[1...]))
        }
        expectBitIdentical(fromPointer, columns)
        expectBitIdentical(try SegmentCodec.decode(Data(bytes)), columns)
    }

    @Test func encodingIsDeterministic() {
        let columns = CodecFixtures.priceSegment(count: 1000)
        #expect(SegmentCodec.encode(columns) == SegmentCodec.encode(columns))
    }
}

extension SegmentCodecRoundTripTests {
    /// A named column of values for the parameterised round trips.
    struct ValueColumn: Sendable, CustomTestStringConvertible {
        let name: String
        let values: [Double]
        var testDescription: String { name }
    }

    /// Named time columns for the parameterised round trips.
    struct TimeColumns: Sendable, CustomTestStringConvertible {
        let name: String
        let eventStarts: [Int64]
        let beliefTimes: [Int64]
        var testDescription: String { name }
    }
}
