/// One column of 64-bit integers (event starts, belief offsets, scaled decimal values), stored in
/// the smallest of four shapes. The byte layout is documented with ``SegmentCodec``.
///
/// All arithmetic wraps, so every Int64, the extremes included, survives whatever deltas it produces.
enum IntegerColumnCodec {
    /// Column shapes; distinct from ``DoubleColumnCodec/Tag`` so that a misaligned read is caught.
    enum Tag: UInt8 {
        /// Every value equal: regular data with one belief horizon.
        case constant = 0x10
        /// `first + index * step`: regular event starts, or one arrival time for a whole post.
        case linear = 0x11
        /// The first value, then the deltas between neighbours in blocks: sorted times with gaps,
        /// and smooth series such as meter readings.
        case deltas = 0x12
        /// The values themselves in blocks: noisy series whose neighbours differ by about as
        /// much as the values themselves.
        case frames = 0x13
    }

    /// Items per bit-packed block: large enough that each block's header costs little, small
    /// enough that a change of regime widens only its own block.
    static let blockLength = 128

    /// Header flag: the block's packed items are followed by patches for the items that need
    /// more than its width (a gap in event times, the first belief of a new post).
    static let patchedFlag: UInt8 = 0x80

    /// The shape chosen for a column and what it needs to be written.
    struct Plan {
        var tag: Tag
        var first: Int64
        var step: Int64
        var blocks: [Block]
        /// Encoded size in bytes, tag included.
        var size: Int
    }

    /// Frame of reference of one block: each item is stored as `item - minimum`, its low `width`
    /// bits packed and, for the few items with more bits, the rest as a patch.
    struct Block {
        var minimum: Int64
        var width: Int
        var patchCount: Int
    }

    /// Appends `values` in their smallest shape.
    static func encode(_ values: UnsafeBufferPointer<Int64>, into writer: inout ByteWriter) {
        write(plan(values), of: values, into: &writer)
    }

    /// Chooses the smallest shape for `values` without writing anything.
    static func plan(_ values: UnsafeBufferPointer<Int64>) -> Plan {
        let count = values.count
        guard count > 0 else {
            return Plan(tag: .constant, first: 0, step: 0, blocks: [], size: 2)
        }
        let first = values[0]
        let step = count > 1 ? values[1] &- first : 0
        var isLinear = true
        var previous = first
        for index in 1 ..< count {
            let value = values[index]
            if value != previous &+ step {
                isLinear = false
                break
            }
            previous = value
        }
        let firstSize = ZigZag.varintSize(ZigZag.encode(first))
        if isLinear, step == 0 {
            return Plan(tag: .constant, first: first, step: 0, blocks: [], size: 1 + firstSize)
        }
        if isLinear {
            let size = 1 + firstSize + ZigZag.varintSize(ZigZag.encode(step))
            return Plan(tag: .linear, first: first, step: step, blocks: [], size: size)
        }
        let deltas = blocks(count: count - 1) { values[$0 + 1] &- values[$0] }
        let raw = blocks(count: count) { values[$0] }
        if firstSize + deltas.size <= raw.size {
            return Plan(tag: .deltas, first: first, step: 0, blocks: deltas.blocks, size: 1 + firstSize + deltas.size)
        }
        return Plan(tag: .frames, first: 0, step: 0, blocks: raw.blocks, size: 1 + raw.size)
    }

    /// Frames of reference of the blocks of `count` items, and the bytes the blocks take.
    @inline(__always)
    private static func blocks(count: Int, item: (Int) -> Int64) -> (blocks: [Block], size: Int) {
        var blocks: [Block] = []
        blocks.reserveCapacity((count + blockLength - 1) / blockLength)
        var size = 0
        var start = 0
        while start < count {
            let end = min(start + blockLength, count)
            var low = item(start)
            var high = low
            for index in start + 1 ..< end {
                let value = item(index)
                low = min(low, value)
                high = max(high, value)
            }
            let fullWidth = BitPacking.width(ofRange: UInt64(bitPattern: high &- low))
            let block: Block
            let blockSize: Int
            if fullWidth <= 1 {
                block = Block(minimum: low, width: fullWidth, patchCount: 0)
                blockSize = BitPacking.byteCount(count: end - start, width: fullWidth)
            } else {
                (block, blockSize) = patchedBlock(start: start, end: end, minimum: low, fullWidth: fullWidth, item: item)
            }
            blocks.append(block)
            size += ZigZag.varintSize(ZigZag.encode(low)) + 1 + blockSize
            start = end
        }
        return (blocks, size)
    }

    /// The width that minimises a block's packed bytes plus patches, from a histogram of the
    /// items' bit widths; returns the block and its size without minimum and header.
    @inline(__always)
    private static func patchedBlock(
        start: Int, end: Int, minimum: Int64, fullWidth: Int, item: (Int) -> Int64
    ) -> (Block, Int) {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 65) { histogram in
            histogram.initialize(repeating: 0)
            for index in start ..< end {
                histogram[BitPacking.width(ofRange: UInt64(bitPattern: item(index) &- minimum))] += 1
            }
            let length = end - start
            var best = Block(minimum: minimum, width: fullWidth, patchCount: 0)
            var bestSize = BitPacking.byteCount(count: length, width: fullWidth)
            // Only widths that some item has are tried: a width between them packs a bit more
            // per item to save at most a byte per patch, which only pays for blocks with so
            // many patches that the full width wins anyway.
            for width in 0 ..< fullWidth where width == 0 || histogram[width] > 0 {
                var patches = 0
                var size = BitPacking.byteCount(count: length, width: width) + 1
                for wider in width + 1 ... fullWidth where histogram[wider] > 0 {
                    patches += histogram[wider]
                    // One byte of index, then the bits above `width` as a varint.
                    size += histogram[wider] * (1 + (wider - width + 6) / 7)
                    if size >= bestSize { break }
                }
                if size < bestSize {
                    best = Block(minimum: minimum, width: width, patchCount: patches)
                    bestSize = size
                }
            }
            return (best, bestSize)
        }
    }

    /// Appends `values` in the shape `plan` chose for them.
    static func write(_ plan: Plan, of values: UnsafeBufferPointer<Int64>, into writer: inout ByteWriter) {
        writer.append(plan.tag.rawValue)
        switch plan.tag {
        case .constant:
            writer.appendZigZag(plan.first)
        case .linear:
            writer.appendZigZag(plan.first)
            writer.appendZigZag(plan.step)
        case .deltas:
            writer.appendZigZag(plan.first)
            writeBlocks(plan.blocks, count: values.count - 1, into: &writer) { values[$0 + 1] &- values[$0] }
        case .frames:
            writeBlocks(plan.blocks, count: values.count, into: &writer) { values[$0] }
        }
    }

    @inline(__always)
    private static func writeBlocks(
        _ blocks: [Block], count: Int, into writer: inout ByteWriter, item: (Int) -> Int64
    ) {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: blockLength) { scratch in
            var start = 0
            for block in blocks {
                let length = min(blockLength, count - start)
                let mask: UInt64 = block.width == 64 ? .max : (1 &<< UInt64(block.width)) &- 1
                for offset in 0 ..< length {
                    scratch[offset] = UInt64(bitPattern: item(start + offset) &- block.minimum)
                }
                writer.appendZigZag(block.minimum)
                writer.append(UInt8(block.width) | (block.patchCount > 0 ? patchedFlag : 0))
                writer.appendZeroed(count: BitPacking.byteCount(count: length, width: block.width)) { output in
                    if block.patchCount > 0 {
                        // Only the low bits go into the packed part; the patches carry the rest.
                        for offset in 0 ..< length { scratch[offset] &= mask }
                    }
                    BitPacking.pack(UnsafeBufferPointer(rebasing: scratch[0 ..< length]), width: block.width, into: output)
                }
                if block.patchCount > 0 {
                    writer.append(UInt8(block.patchCount))
                    for offset in 0 ..< length {
                        let high = UInt64(bitPattern: item(start + offset) &- block.minimum) &>> UInt64(block.width)
                        if high != 0 {
                            writer.append(UInt8(offset))
                            writer.appendVarint(high)
                        }
                    }
                }
                start += length
            }
        }
    }

    /// Reads a column of `output.count` values written by ``encode(_:into:)`` into `output`.
    static func decode(
        from reader: inout ByteReader, into output: UnsafeMutableBufferPointer<Int64>
    ) throws(SegmentCodecError) {
        let count = output.count
        let tagByte = try reader.readByte()
        guard let tag = Tag(rawValue: tagByte) else {
            throw .malformed("unknown integer column tag \(tagByte)")
        }
        switch tag {
        case .constant:
            output.initialize(repeating: try reader.readZigZag())
        case .linear:
            var value = try reader.readZigZag()
            let step = try reader.readZigZag()
            for index in 0 ..< count {
                output[index] = value
                value &+= step
            }
        case .deltas:
            guard count > 0 else { throw .malformed("delta column without values") }
            var previous = try reader.readZigZag()
            output[0] = previous
            let deltas = UnsafeMutableBufferPointer(rebasing: output[1...])
            var start = 0
            while start < deltas.count {
                let block = try BlockReader(from: &reader, start: start, total: deltas.count)
                if block.isPatched {
                    // Patches must land before the running sum, so this block takes two passes.
                    block.unpack { index, packed in deltas[start + index] = block.minimum &+ Int64(bitPattern: packed) }
                    try block.readPatches(from: &reader) { index, high in deltas[start + index] &+= high }
                    for index in start ..< start + block.length {
                        previous &+= deltas[index]
                        deltas[index] = previous
                    }
                } else {
                    block.unpack { index, packed in
                        previous = previous &+ (block.minimum &+ Int64(bitPattern: packed))
                        deltas[start + index] = previous
                    }
                }
                start += block.length
            }
        case .frames:
            var start = 0
            while start < count {
                let block = try BlockReader(from: &reader, start: start, total: count)
                block.unpack { index, packed in output[start + index] = block.minimum &+ Int64(bitPattern: packed) }
                if block.isPatched {
                    try block.readPatches(from: &reader) { index, high in output[start + index] &+= high }
                }
                start += block.length
            }
        }
    }

    /// One block's header and packed items, read and validated; patches are read after unpacking.
    private struct BlockReader {
        let minimum: Int64
        let width: Int
        let length: Int
        let isPatched: Bool
        let packed: UnsafeRawBufferPointer
        let loadable: Int

        /// Reads the header and packed bytes of the block of items `start ..< min(start + 128, total)`.
        @inline(__always)
        init(from reader: inout ByteReader, start: Int, total: Int) throws(SegmentCodecError) {
            length = min(blockLength, total - start)
            minimum = try reader.readZigZag()
            let header = try reader.readByte()
            width = Int(header & ~patchedFlag)
            isPatched = header & patchedFlag != 0
            guard width <= 64 else { throw .malformed("bit width \(width) above 64") }
            guard !isPatched || width < 64 else { throw .malformed("patches on a 64-bit block") }
            (packed, loadable) = try reader.readBytes(count: BitPacking.byteCount(count: length, width: width))
        }

        /// Calls `body(indexInBlock, packedBits)` for each item.
        @inline(__always)
        func unpack(_ body: (Int, UInt64) -> Void) {
            BitPacking.unpack(packed, loadable: loadable, count: length, width: width, body)
        }

        /// Reads the patches and calls `body(indexInBlock, amountToAdd)` for each.
        @inline(__always)
        func readPatches(
            from reader: inout ByteReader, _ body: (Int, Int64) -> Void
        ) throws(SegmentCodecError) {
            let patchCount = Int(try reader.readByte())
            guard patchCount >= 1, patchCount <= length else { throw .malformed("\(patchCount) patches in a block of \(length)") }
            var previous = -1
            for _ in 0 ..< patchCount {
                let index = Int(try reader.readByte())
                guard index > previous, index < length else { throw .malformed("patch index \(index) out of order") }
                previous = index
                let high = try reader.readVarint()
                body(index, Int64(bitPattern: high &<< UInt64(width)))
            }
        }
    }
}
