import CZlib

/// zlib's deflate, used on top of a double column only when it makes the column clearly smaller.
enum Deflate {
    /// zlib stream of `input` at `level` (1 fastest ... 9 smallest), or nil if zlib fails or the
    /// stream would take `limit` bytes or more, in which case deflate does not pay.
    static func compress(_ input: UnsafeRawBufferPointer, level: Int32, limit: Int) -> [UInt8]? {
        guard let source = input.baseAddress, limit > 0 else { return nil }
        let bound = Int(compressBound(UInt(input.count)))
        var output = [UInt8](repeating: 0, count: bound)
        let (status, length) = output.withUnsafeMutableBufferPointer { output -> (Int32, Int) in
            var length = UInt(output.count)
            let status = compress2(
                output.baseAddress, &length, source.assumingMemoryBound(to: UInt8.self), UInt(input.count), level
            )
            return (status, Int(length))
        }
        guard status == Z_OK, length < limit else { return nil }
        output.removeLast(bound - length)
        return output
    }

    /// Inflates `input` into exactly `output.count` bytes; false if the stream is damaged or does
    /// not inflate to exactly that many bytes. zlib bounds-checks its input, so this is safe on
    /// any bytes.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Bool {
        guard let source = input.baseAddress, let destination = output.baseAddress else { return false }
        var length = UInt(output.count)
        let status = uncompress(
            destination.assumingMemoryBound(to: UInt8.self), &length,
            source.assumingMemoryBound(to: UInt8.self), UInt(input.count)
        )
        return status == Z_OK && Int(length) == output.count
    }
}
