@testable import BeliefStore
import Testing
import TestSupport

@Suite struct IntegerColumnCodecTests {
    static let cases: [Column] = {
        var random = SeededGenerator(seed: 21)
        var cases: [Column] = []
        cases.append(Column(name: "empty", values: [], shape: .constant))
        cases.append(Column(name: "one value", values: [-7], shape: .constant))
        cases.append(Column(name: "constant horizon", values: Array(repeating: -CodecFixtures.day, count: 500), shape: .constant))
        cases.append(Column(name: "regular event starts", values: CodecFixtures.regularEventStarts(count: 500), shape: .linear))
        cases.append(Column(name: "two values", values: [.min, .max], shape: .linear))
        cases.append(Column(name: "linear across the wrap", values: (0 ..< 50).map { Int64.max &- 3 &+ Int64($0) }, shape: .linear))
        cases.append(Column(name: "sorted with jitter", values: (0 ..< 700).map { Int64($0) * 1000 + Int64.random(in: 0 ... 9, using: &random) }, shape: .deltas))
        cases.append(Column(name: "noise around a level", values: (0 ..< 700).map { _ in 1_000_000 + Int64.random(in: 0 ..< 1000, using: &random) }, shape: .frames))
        // Wrapping deltas of -1 and +1.
        cases.append(Column(name: "extremes alternating", values: (0 ..< 300).map { $0 % 2 == 0 ? Int64.min : Int64.max }, shape: .deltas))
        cases.append(Column(name: "extremes in blocks", values: (0 ..< 300).map { [Int64.min, .max, 0, -1, .min][$0 % 5] }, shape: .deltas))
        cases.append(Column(name: "random 64-bit", values: (0 ..< 300).map { _ in Int64(bitPattern: random.next()) }, shape: .frames))
        cases.append(Column(name: "outliers at block edges", values: (0 ..< 512).map { index in
            [0, 127, 128, 255, 511].contains(index) ? Int64(index) << 40 : Int64(index) * 5
        }, shape: .frames))
        cases.append(Column(name: "sorted with gaps at block edges", values: (0 ..< 512).map { index in
            Int64(index) * 5 + [0, 127, 128, 255, 511].filter { $0 <= index }.reduce(0) { sum, _ in sum + (1 << 40) }
        }, shape: .deltas))
        return cases
    }()

    @Test(arguments: cases)
    func columnsRoundTripInTheExpectedShape(_ column: Column) throws {
        let bytes = CodecFixtures.integerColumn(column.values)
        #expect(IntegerColumnCodec.Tag(rawValue: bytes[0]) == column.shape)
        let plan = column.values.withUnsafeBufferPointer { IntegerColumnCodec.plan($0) }
        #expect(plan.size == bytes.count, "planned size is the written size")
        #expect(try CodecFixtures.decodeIntegerColumn(bytes, count: column.values.count) == column.values)
    }

    @Test func aGapInSortedTimesIsOnePatchedDelta() {
        let values = (0 ..< 128).map { Int64($0) * 3 + ($0 >= 40 ? 1 << 30 : 0) }
        let plan = values.withUnsafeBufferPointer { IntegerColumnCodec.plan($0) }
        #expect(plan.tag == .deltas)
        #expect(plan.blocks.map(\.patchCount) == [1])
        #expect(plan.blocks.map(\.width) == [0])
    }

    @Test func aSpikeIsOnePatchedValue() {
        var values = (0 ..< 128).map { Int64($0) * 3 }
        values[40] += 1 << 30
        let plan = values.withUnsafeBufferPointer { IntegerColumnCodec.plan($0) }
        // As deltas the spike is a jump up and one down, and the low one widens the block.
        #expect(plan.tag == .frames)
        #expect(plan.blocks.map(\.patchCount) == [1])
    }

    @Test func unknownTagsAreMalformed() {
        #expect(throws: SegmentCodecError.malformed("unknown integer column tag 32")) {
            try CodecFixtures.decodeIntegerColumn([0x20, 0], count: 1)
        }
    }

    @Test func widthsAbove64AreMalformed() {
        // frames, minimum 0, width 65
        #expect(throws: SegmentCodecError.malformed("bit width 65 above 64")) {
            try CodecFixtures.decodeIntegerColumn([0x13, 0, 65], count: 1)
        }
    }

    @Test func patchesOnFullWidthBlocksAreMalformed() {
        #expect(throws: SegmentCodecError.malformed("patches on a 64-bit block")) {
            try CodecFixtures.decodeIntegerColumn([0x13, 0, 64 | 0x80] + [UInt8](repeating: 0, count: 8) + [1, 0, 1], count: 1)
        }
    }

    @Test func patchIndexesMustIncreaseWithinTheBlock() throws {
        // frames, minimum 0, width 1 with patches, 2 items packed in one byte, then 2 patches.
        let repeated: [UInt8] = [0x13, 0, 1 | 0x80, 0, 2, 1, 1, 1, 1]
        let outside: [UInt8] = [0x13, 0, 1 | 0x80, 0, 1, 2, 1]
        let none: [UInt8] = [0x13, 0, 1 | 0x80, 0, 0]
        for bytes in [repeated, outside, none] {
            #expect(throws: SegmentCodecError.self) { try CodecFixtures.decodeIntegerColumn(bytes, count: 2) }
        }
        #expect(try CodecFixtures.decodeIntegerColumn([0x13, 0, 1 | 0x80, 0, 1, 1, 1], count: 2) == [0, 2])
    }

    @Test func deltaColumnsWithoutValuesAreMalformed() {
        #expect(throws: SegmentCodecError.self) { try CodecFixtures.decodeIntegerColumn([0x12, 0], count: 0) }
    }
}

extension IntegerColumnCodecTests {
    /// A named integer column and the shape the encoder should pick for it.
    struct Column: Sendable, CustomTestStringConvertible {
        let name: String
        let values: [Int64]
        let shape: IntegerColumnCodec.Tag
        var testDescription: String { name }
    }
}
