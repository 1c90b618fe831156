import PostgresNIO

/// Why forwarding stopped for now; the forwarder records it (the console, `/api/health` and `uplink status`
/// show it) and tries again later.
public enum UplinkError: Error, Sendable, CustomStringConvertible {
    /// The central server has no fleet schema, or an older one: `flexmeasures uplink init` creates or upgrades it.
    case centralSchemaMissing(version: Int, needed: Int)
    /// The central server's fleet schema is newer than this release knows.
    case centralSchemaNewer(version: Int, known: Int)
    /// Connecting or a statement took longer than allowed.
    case timedOut(seconds: Int, doing: String)
    /// The server said no.
    case server(message: String, sqlState: String?, doing: String)
    /// The connection failed or broke.
    case connection(String, doing: String)
    /// The server gives the site's name to another stream than the one this site sent.
    case nameTaken(site: String, stream: String)

    public var description: String {
        switch self {
        case let .centralSchemaMissing(version, needed):
            version == 0
                ? "the central server has no fleet schema: run `flexmeasures uplink init`"
                : "the central fleet schema is at version \(version), this release needs \(needed): run `flexmeasures uplink init`"
        case let .centralSchemaNewer(version, known):
            "the central fleet schema is at version \(version), newer than this release knows (\(known)): upgrade flexmeasures"
        case let .timedOut(seconds, doing):
            "\(doing) took longer than \(seconds) s"
        case let .server(message, sqlState, doing):
            "\(doing): the server said \(message)\(sqlState.map { " (SQLSTATE \($0))" } ?? "")"
        case let .connection(reason, doing):
            "\(doing): \(reason)"
        case let .nameTaken(site, stream):
            "the central server holds site \(site) as another stream (\(stream)) than this site sent: another site uses the "
                + "same FLEXMEASURES_UPLINK_SITE (give each its own), or the server was restored from a backup; "
                + "`flexmeasures uplink resend` on the one site that should hold the name sends everything again under it"
        }
    }

    /// The error as a person can act on it: PSQLError's own description hides the server's message.
    static func wrap(_ error: any Error, doing: String) -> UplinkError {
        if let error = error as? UplinkError { return error }
        if let error = error as? PSQLError {
            if let info = error.serverInfo, let message = info[.message] {
                return .server(message: message, sqlState: info[.sqlState], doing: doing)
            }
            let underlying = error.underlying.map { " (\($0))" } ?? ""
            return .connection("\(error.code)\(underlying)", doing: doing)
        }
        return .connection(String(describing: error), doing: doing)
    }

    /// SQLSTATE 23505: a belief the server holds already.
    var isUniqueViolation: Bool {
        if case let .server(_, state, _) = self { return state == "23505" }
        return false
    }
}
