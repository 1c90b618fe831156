/// The id of a data source.
public typealias SourceID = Int64

/// Who or what holds a belief: the posting user, the forecaster, the scheduler, a script.
public struct BeliefSource: Hashable, Sendable {
    /// The source's id, referenced by every belief it holds.
    public var id: SourceID
    /// A human-readable name, e.g. the user's name or "Seita".
    public var name: String
    /// The kind of agent, which decides precedence in getPrognosis.
    public var type: SourceType
    /// The user account behind a `.user` source; nil for scripts.
    public var userID: Int64?

    /// A source with every field given.
    public init(id: SourceID, name: String, type: SourceType, userID: Int64?) {
        self.id = id
        self.name = name
        self.type = type
        self.userID = userID
    }
}
