import Foundation

/// A JSON value for fuzzing: ordered objects (so that a seed gives the same bytes in every process,
/// unlike `Dictionary`), and `raw` text that goes into the message as it is (`1e400`, `[[[[`, `"\ud800"`).
indirect enum FuzzValue: Sendable {
    case string(String)
    case number(Double)
    case integer(Int64)
    case bool(Bool)
    case null
    case array([FuzzValue])
    case object([(String, FuzzValue)])
    case raw(String)

    /// The JSON text.
    var json: String {
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case let .string(text): Self.quote(text, into: &out)
        case let .number(number):
            if number == number.rounded(), abs(number) < 1e15 { out += String(Int64(number)) } else { out += "\(number)" }
        case let .integer(number): out += String(number)
        case let .bool(flag): out += flag ? "true" : "false"
        case .null: out += "null"
        case let .array(items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case let .object(fields):
            out += "{"
            for (index, field) in fields.enumerated() {
                if index > 0 { out += "," }
                Self.quote(field.0, into: &out)
                out += ":"
                field.1.write(to: &out)
            }
            out += "}"
        case let .raw(text): out += text
        }
    }

    private static func quote(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    /// The text a query string carries for this value: strings as they are, lists and objects as JSON.
    var queryText: String {
        switch self {
        case let .string(text): text
        case let .raw(text): text
        default: json
        }
    }

    var fields: [(String, FuzzValue)]? {
        if case let .object(fields) = self { return fields }
        return nil
    }

    subscript(key: String) -> FuzzValue? {
        get { fields?.first { $0.0 == key }?.1 }
        set {
            guard var fields else { return }
            if let index = fields.firstIndex(where: { $0.0 == key }) {
                if let newValue { fields[index].1 = newValue } else { fields.remove(at: index) }
            } else if let newValue {
                fields.append((key, newValue))
            }
            self = .object(fields)
        }
    }
}

extension FuzzValue: ExpressibleByStringLiteral, ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    init(stringLiteral value: String) { self = .string(value) }
    init(floatLiteral value: Double) { self = .number(value) }
    init(integerLiteral value: Int64) { self = .integer(value) }
    init(booleanLiteral value: Bool) { self = .bool(value) }
}
