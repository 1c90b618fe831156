import CZlib

/// Inflating what a script gzipped into the binary: the demo site's data and the console's static files.
public enum Gzip {
    /// Inflates one gzip member into exactly `size` bytes, or nil when it does not hold that.
    public static func inflate(_ packed: [UInt8], size: Int) -> [UInt8]? {
        var output = [UInt8](repeating: 0, count: size)
        var stream = z_stream()
        // 15 + 16: a gzip header and trailer around the deflate stream.
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }
        var packed = packed
        let status = packed.withUnsafeMutableBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = input.baseAddress
                stream.avail_in = UInt32(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == size else { return nil }
        return output
    }
}
