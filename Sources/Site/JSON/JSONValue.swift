/// A parsed JSON document. The API's notation is loose (singular or plural keys, groups or a flat
/// message, attributes inherited from the top), so messages are read as trees, not decoded into
/// fixed types.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public subscript(key: String) -> JSONValue? {
        if case let .object(members) = self { return members[key] }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case let .object(members) = self { return members }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case let .array(items) = self { return items }
        return nil
    }

    public var stringValue: String? {
        if case let .string(text) = self { return text }
        return nil
    }

    public var numberValue: Double? {
        if case let .number(number) = self { return number }
        return nil
    }

    /// The number as a whole Int64, when it is one that a double holds exactly (|n| < 2^53); nil for
    /// fractions, infinities and numbers too large, which would otherwise trap in a conversion.
    public var int64Value: Int64? {
        guard case let .number(number) = self, number.isFinite, number == number.rounded(), abs(number) < 9_007_199_254_740_992 else {
            return nil
        }
        return Int64(number)
    }

    public var boolValue: Bool? {
        if case let .bool(flag) = self { return flag }
        return nil
    }

    /// A short name of the value's kind, for messages that say what was expected instead.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }
}
