@testable import BeliefStore
import Testing

/// Encoded sizes that pin the design: what regular data, meter readings, prices and random doubles cost.
@Suite struct SegmentCodecSizeTests {
    static let segmentSizes: [Int] = [1024, 2048, 4096]

    @Test func regularEventsWithOneHorizonCostOnlyAFewBytes() {
        let columns = CodecFixtures.measured(Array(repeating: 0.25, count: 4096))
        let eventStarts = columns.eventStarts.withUnsafeBufferPointer { IntegerColumnCodec.plan($0) }
        let offsets = zip(columns.beliefTimes, columns.eventStarts).map { $0 - $1 }
        let beliefOffsets = offsets.withUnsafeBufferPointer { IntegerColumnCodec.plan($0) }
        #expect(eventStarts.tag == .linear)
        #expect(beliefOffsets.tag == .constant)
        #expect(eventStarts.size + beliefOffsets.size <= 24)
        // Version, count, four columns and the checksum.
        #expect(SegmentCodec.encode(columns).count <= 48)
    }

    @Test func oneArrivalTimeForAWholePostIsLinear() {
        let starts = CodecFixtures.regularEventStarts(count: 96)
        let offsets = starts.map { CodecFixtures.march2024 - CodecFixtures.day - $0 }
        #expect(offsets.withUnsafeBufferPointer { IntegerColumnCodec.plan($0) }.tag == .linear)
    }

    @Test(arguments: segmentSizes)
    func meterReadingsTakeLessThan1Point3BytesPerBelief(count: Int) {
        let bytes = SegmentCodec.encode(CodecFixtures.meterSegment(count: count))
        #expect(Double(bytes.count) / Double(count) < 1.3)
    }

    @Test(arguments: segmentSizes)
    func dayAheadPricesTakeLessThan2BytesPerBelief(count: Int) {
        let bytes = SegmentCodec.encode(CodecFixtures.priceSegment(count: count))
        #expect(Double(bytes.count) / Double(count) < 2)
    }

    @Test func dailyPostsOfDayAheadPricesCostLittleInTheTimeColumns() {
        let columns = CodecFixtures.priceSegment(count: 4096)
        let offsets = zip(columns.beliefTimes, columns.eventStarts).map { $0 - $1 }
        let plan = offsets.withUnsafeBufferPointer { IntegerColumnCodec.plan($0) }
        // One patch per new day; without patches every block holding a day boundary would pack
        // 128 deltas of 37 bits, some 600 bytes a block.
        #expect(plan.tag == .deltas)
        #expect(plan.size < 4096 / 4)
    }

    @Test(arguments: segmentSizes)
    func randomDoublesDoNotBlowUp(count: Int) {
        let bytes = SegmentCodec.encode(CodecFixtures.measured(CodecFixtures.randomDoubles(count: count)))
        #expect(Double(bytes.count) / Double(count) <= 8.2)
    }

    @Test func aFewExceptionsCostAboutTenBytesEach() {
        var values = CodecFixtures.meterValues(count: 4096)
        let clean = SegmentCodec.encode(CodecFixtures.measured(values)).count
        for index in stride(from: 100, to: 4096, by: 410) { values[index] = -0.0 }
        let withExceptions = SegmentCodec.encode(CodecFixtures.measured(values)).count
        #expect(withExceptions - clean <= 10 * 11)
    }

    @Test func gapsInRegularEventTimesArePatchedNotWidened() {
        var starts = CodecFixtures.regularEventStarts(count: 4096)
        for gap in stride(from: 50, to: 4000, by: 128).reversed() { starts.removeSubrange(gap ..< gap + 3) }
        let bytes = CodecFixtures.integerColumn(starts)
        #expect(bytes[0] == IntegerColumnCodec.Tag.deltas.rawValue)
        // 32 blocks of about 13 bytes: minimum, header and one patch each (unpatched, each block
        // with a gap would pack 128 deltas of 32 bits).
        #expect(bytes.count < 32 * 16)
    }
}
