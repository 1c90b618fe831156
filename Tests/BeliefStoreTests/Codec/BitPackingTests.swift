@testable import BeliefStore
import Testing
import TestSupport

@Suite struct BitPackingTests {
    static let widths: [Int] = Array(0 ... 64)

    @Test(arguments: widths)
    func valuesOfEveryWidthUnpackUnchangedWithAndWithoutSlack(width: Int) {
        var random = SeededGenerator(seed: UInt64(width) + 100)
        let mask: UInt64 = width == 64 ? .max : (1 << UInt64(width)) - 1
        for count in [1, 2, 7, 9, 127, 128] {
            var values = (0 ..< count).map { _ in random.next() & mask }
            // The largest value of the width, so that the top bit is exercised.
            values[count / 2] = mask
            let byteCount = BitPacking.byteCount(count: count, width: width)
            // Slack bytes after the packed ones let the fast path load whole words up to the end.
            for slack in [0, 3, 8] {
                var buffer = [UInt8](repeating: 0xEE, count: byteCount + slack)
                values.withUnsafeBufferPointer { values in
                    buffer.withUnsafeMutableBytes { buffer in
                        BitPacking.pack(values, width: width, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0 ..< byteCount]))
                    }
                }
                var unpacked = [UInt64](repeating: 0, count: count)
                buffer.withUnsafeBytes { buffer in
                    let packed = UnsafeRawBufferPointer(rebasing: buffer[0 ..< byteCount])
                    BitPacking.unpack(packed, loadable: buffer.count, count: count, width: width) { index, value in
                        unpacked[index] = value
                    }
                }
                #expect(unpacked == values, "count \(count), slack \(slack)")
                #expect(buffer[byteCount...].allSatisfy { $0 == 0xEE }, "packing wrote past its bytes")
            }
        }
    }

    @Test func widthCoversTheWholeRange() {
        #expect(BitPacking.width(ofRange: 0) == 0)
        #expect(BitPacking.width(ofRange: 1) == 1)
        #expect(BitPacking.width(ofRange: 255) == 8)
        #expect(BitPacking.width(ofRange: 256) == 9)
        #expect(BitPacking.width(ofRange: .max) == 64)
    }

    @Test func bitStreamFieldsOfEveryWidthReadBackUnchanged() throws {
        var random = SeededGenerator(seed: 5)
        var fields: [(UInt64, Int)] = []
        var writer = BitWriter(capacity: 64)
        for _ in 0 ..< 500 {
            let width = Int.random(in: 0 ... 64, using: &random)
            let value = width == 64 ? random.next() : random.next() & ((1 << UInt64(width)) - 1)
            fields.append((value, width))
            writer.write(value, width: width)
        }
        let expectedBytes = writer.byteCount
        let bytes = writer.finish()
        #expect(bytes.count == expectedBytes)
        try bytes.withUnsafeBytes { buffer throws in
            var reader = BitReader(buffer)
            for (value, width) in fields {
                #expect(try reader.read(width: width) == value)
            }
            #expect(reader.consumedBytes == bytes.count)
            #expect(throws: SegmentCodecError.truncated) { try reader.read(width: 64) }
        }
    }
}
