/// A point in a database's migration history: before the first migration (`base`, as alembic calls it), or
/// just after one.
public enum SchemaRevision: Equatable, Sendable, CustomStringConvertible {
    case base
    case migration(String)

    public var description: String {
        switch self {
        case .base: "base"
        case let .migration(identifier): identifier
        }
    }
}
