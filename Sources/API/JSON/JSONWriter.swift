/// Writes JSON with sorted keys and numbers in their shortest round-trip form.
public enum JSONWriter {
    public static func write(_ value: JSONValue, into text: inout String) {
        switch value {
        case .null: text += "null"
        case let .bool(flag): text += flag ? "true" : "false"
        case let .number(number): writeNumber(number, into: &text)
        case let .string(string): writeString(string, into: &text)
        case let .array(items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += ", " }
                write(item, into: &text)
            }
            text += "]"
        case let .object(members):
            text += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { text += ", " }
                writeString(key, into: &text)
                text += ": "
                write(members[key]!, into: &text)
            }
            text += "}"
        }
    }

    public static func string(_ value: JSONValue) -> String {
        var text = ""
        write(value, into: &text)
        return text
    }

    /// Whole numbers without a fraction (as Python's json writes ints), others in Swift's shortest
    /// representation; non-finite numbers, which JSON cannot carry, as null.
    static func writeNumber(_ number: Double, into text: inout String) {
        guard number.isFinite else {
            text += "null"
            return
        }
        if number == number.rounded(), abs(number) < 1e15 {
            text += String(Int64(number))
        } else {
            text += "\(number)"
        }
    }

    static func writeString(_ string: String, into text: inout String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case let control where control.value < 0x20:
                let hex = String(control.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
