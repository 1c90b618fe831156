/// One page of a listing: `page` from 1, `perPage` items a page (at most `maximumPerPage`), so that no
/// listing a client asks for is unbounded.
public struct Paging: Sendable, Hashable {
    public static let defaultPerPage = 100
    public static let maximumPerPage = 1_000
    /// The highest page asked for: beyond it the offset alone would make SQLite walk millions of rows.
    public static let maximumPage = 100_000

    public let page: Int
    public let perPage: Int

    /// Nil when `page` is not 1 to `maximumPage` or `perPage` not 1 to `maximumPerPage`.
    public init?(page: Int = 1, perPage: Int = Paging.defaultPerPage) {
        guard (1...Self.maximumPage).contains(page), (1...Self.maximumPerPage).contains(perPage) else { return nil }
        self.page = page
        self.perPage = perPage
    }

    public static let first = Paging()!

    var offset: Int { (page - 1) * perPage }
}

/// A page of a listing with the number of items of the whole listing.
public struct Paged<Item: Sendable>: Sendable {
    public let items: [Item]
    public let total: Int
    public let paging: Paging

    /// Whether a later page has items.
    public var hasMore: Bool { paging.offset + items.count < total }
}
