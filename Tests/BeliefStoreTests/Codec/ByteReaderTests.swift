@testable import BeliefStore
import Testing

@Suite struct ByteReaderTests {
    static let varints: [UInt64] = [0, 1, 127, 128, 255, 300, 16383, 16384, 1 << 35, .max - 1, .max]
    static let signed: [Int64] = [0, -1, 1, -64, 64, .min, .max, .min + 1, .max - 1]

    @Test(arguments: varints)
    func varintsReadBackAndTakeThePredictedBytes(value: UInt64) throws {
        var writer = ByteWriter(capacity: 10)
        writer.appendVarint(value)
        #expect(writer.count == ZigZag.varintSize(value))
        try writer.bytes.withUnsafeBytes { buffer throws in
            var reader = ByteReader(buffer, end: buffer.count)
            #expect(try reader.readVarint() == value)
            #expect(reader.isAtEnd)
        }
    }

    @Test(arguments: signed)
    func zigzagIsExactOverTheWholeRange(value: Int64) {
        #expect(ZigZag.decode(ZigZag.encode(value)) == value)
    }

    @Test func smallMagnitudesOfEitherSignZigzagToSmallNumbers() {
        #expect([0, -1, 1, -2, 2].map { ZigZag.encode($0) } == [0, 1, 2, 3, 4])
    }

    @Test func varintsBeyond64BitsAreMalformed() {
        let overlong: [UInt8] = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02]
        let endless = [UInt8](repeating: 0x80, count: 12) + [0]
        for bytes in [overlong, endless] {
            bytes.withUnsafeBytes { buffer in
                var reader = ByteReader(buffer, end: buffer.count)
                #expect(throws: SegmentCodecError.self) { try reader.readVarint() }
            }
        }
    }

    @Test func readsPastTheEndAreTruncatedEvenWithSlackBehind() {
        let bytes: [UInt8] = [0x80, 1, 2, 3, 4, 5, 6, 7, 8]
        bytes.withUnsafeBytes { buffer in
            var reader = ByteReader(buffer, end: 1)
            #expect(throws: SegmentCodecError.truncated) { try reader.readVarint() }
            var words = ByteReader(buffer, end: 7)
            #expect(throws: SegmentCodecError.truncated) { try words.readUInt64() }
            #expect(throws: SegmentCodecError.truncated) { try words.readBytes(count: 8) }
            #expect(throws: SegmentCodecError.truncated) { try words.readBytes(count: -1) }
        }
    }

    @Test func countsAboveTheirLimitAreMalformed() {
        let bytes: [UInt8] = [0xAC, 0x02]  // 300
        bytes.withUnsafeBytes { buffer in
            var reader = ByteReader(buffer, end: buffer.count)
            #expect(throws: SegmentCodecError.malformed("count 300 exceeds 299")) {
                try reader.readCount(atMost: 299, "count")
            }
        }
    }
}
