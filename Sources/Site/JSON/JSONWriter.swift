/// Writes JSON with sorted keys and numbers in a short round-trip form, straight into bytes: a year
/// of 15-minute values is 35,040 numbers per answer, so no intermediate strings per value.
public enum JSONWriter {
    public static func bytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, into: &out)
        return out
    }

    public static func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case let .bool(flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case let .number(number): writeNumber(number, into: &out)
        case let .string(string): writeString(string, into: &out)
        case let .array(items):
            out.reserveCapacity(out.count + items.count * 8)
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
                write(item, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case let .object(members):
            out.append(UInt8(ascii: "{"))
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
                writeString(key, into: &out)
                out.append(contentsOf: [UInt8(ascii: ":"), UInt8(ascii: " ")])
                write(members[key]!, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Whole numbers without a fraction (as Python's json writes ints); values with up to six decimals
    /// digit by digit (exact: the value is the double nearest to that decimal, checked by converting
    /// back); others in Swift's shortest representation; non-finite numbers, which JSON cannot carry,
    /// as null.
    static func writeNumber(_ number: Double, into out: inout [UInt8]) {
        guard number.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        if number == number.rounded(.towardZero), abs(number) < 1e15 {
            writeDecimal(Int64(number), digits: 0, into: &out)
            return
        }
        if abs(number) < 1e12 {
            var scale = 1.0
            for digits in 1...6 {
                scale *= 10
                let scaled = (number * scale).rounded()
                if scaled / scale == number {
                    writeDecimal(Int64(scaled), digits: digits, into: &out)
                    return
                }
            }
        }
        out.append(contentsOf: "\(number)".utf8)
    }

    /// Writes `scaled / 10^digits` without trailing zeros in the fraction.
    private static func writeDecimal(_ scaled: Int64, digits: Int, into out: inout [UInt8]) {
        var magnitude = scaled.magnitude
        // Up to 20 decimal digits of a UInt64, least significant first, on the stack.
        var buffer: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &buffer) { digitsBuffer in
            var count = 0
            repeat {
                digitsBuffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0 || count <= digits
            // Trailing zeros of the fraction are the leading entries of the reversed buffer.
            var skip = 0
            while skip < digits && digitsBuffer[skip] == UInt8(ascii: "0") { skip += 1 }
            if scaled < 0 { out.append(UInt8(ascii: "-")) }
            for index in stride(from: count - 1, through: skip, by: -1) {
                if index == digits - 1 && digits > skip { out.append(UInt8(ascii: ".")) }
                out.append(digitsBuffer[index])
            }
        }
    }

    static func writeString(_ string: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
