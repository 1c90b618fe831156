import Hummingbird

/// One endpoint: a method, a path (with `:name` parameters) and its handler.
public struct APIRoute: Sendable {
    public typealias Handler = @Sendable (Request, APIContext) async throws -> Response

    public let method: HTTPRequest.Method
    public let path: String
    public let handler: Handler

    public init(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        self.method = method
        self.path = path
        self.handler = handler
    }
}

/// The paths the API serves, so that a known path with the wrong method gets 405, not 404.
struct RouteTable: Sendable {
    private let patterns: [[Substring]]

    init(_ routes: [APIRoute]) {
        patterns = routes.map { Self.segments($0.path) }
    }

    func knows(_ path: String) -> Bool {
        let wanted = Self.segments(path)
        return patterns.contains { pattern in
            pattern.count == wanted.count && zip(pattern, wanted).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
        }
    }

    static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }
}
