/// A problem with one field of the input, named as the v2.0 API names it (`latitude`, `owner`, ...).
public struct FieldError: Hashable, Sendable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// Why the registry refused a change. Nothing is written when one is thrown.
public enum RegistryError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The input broke one or more rules; the API answers 422 with these per-field messages.
    case invalid([FieldError])
    /// The record to read, change or delete does not exist.
    case notFound(entity: String, key: String)

    public var description: String {
        switch self {
        case let .invalid(errors): errors.map(\.description).joined(separator: "; ")
        case let .notFound(entity, key): "no \(entity) with \(key)"
        }
    }

    /// The per-field messages grouped by field, as the API's 422 answers carry them.
    public var messagesByField: [String: [String]] {
        guard case let .invalid(errors) = self else { return [:] }
        return Dictionary(grouping: errors, by: \.field).mapValues { $0.map(\.message) }
    }
}
