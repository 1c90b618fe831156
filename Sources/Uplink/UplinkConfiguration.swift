import Foundation

/// Where and as whom a site forwards its beliefs: the central PostgreSQL server (a `postgres://` URL without
/// its password, which comes from a file or the environment so that it never shows in `config show`, `ps` or
/// a unit file), and the name the site goes by in the fleet.
public struct UplinkConfiguration: Sendable, Equatable {
    /// libpq's `sslmode`, the values that mean something here.
    public enum TLSMode: String, Sendable, CaseIterable {
        /// Plain TCP.
        case disable
        /// TLS when the server offers it, unverified (libpq's default).
        case prefer
        /// TLS or no connection, unverified.
        case require
        /// TLS with the server's certificate checked against the system's CAs (or `sslrootcert`) and its name.
        case verifyFull = "verify-full"
    }

    public let host: String
    public let port: Int
    public let username: String
    public let password: String?
    public let database: String
    public let tls: TLSMode
    /// PEM certificates to trust besides the system's (`sslrootcert`), for verify-full.
    public let rootCertificateFile: String?
    /// The site's name in the fleet: its sensors are registered centrally as `site/name`.
    public let siteName: String

    /// Reads `postgres://user@host:port/database?sslmode=...&sslrootcert=...`.
    public init(url text: String, password: String?, siteName: String) throws(UplinkConfigurationError) {
        guard let url = URLComponents(string: text), let scheme = url.scheme, ["postgres", "postgresql"].contains(scheme.lowercased()) else {
            throw .invalidURL(text, reason: "it must look like postgres://user@host:5432/database")
        }
        guard let host = url.host, !host.isEmpty else { throw .invalidURL(text, reason: "it names no host") }
        guard let user = url.user, !user.isEmpty else { throw .invalidURL(text, reason: "it names no user (postgres://user@host/database)") }
        guard url.password == nil else {
            throw .invalidURL(
                redacting: text, reason: "it holds a password; put it in FLEXMEASURES_UPLINK_PASSWORD_FILE or FLEXMEASURES_UPLINK_PASSWORD instead"
            )
        }
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        guard !database.isEmpty, !database.contains("/") else { throw .invalidURL(text, reason: "it names no database (…/database)") }
        var tls = TLSMode.prefer
        var rootCertificateFile: String?
        for item in url.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                    throw .invalidURL(text, reason: "sslmode must be one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tls = mode
            case "sslrootcert":
                guard let path = item.value, !path.isEmpty else { throw .invalidURL(text, reason: "sslrootcert names no file") }
                rootCertificateFile = path
            default:
                throw .invalidURL(text, reason: "unknown parameter \(item.name); sslmode and sslrootcert are understood")
            }
        }
        guard Self.isValidSiteName(siteName) else { throw .invalidSiteName(siteName) }
        self.host = host
        self.port = url.port ?? 5432
        self.username = user
        self.password = password
        self.database = database
        self.tls = tls
        self.rootCertificateFile = rootCertificateFile
        self.siteName = siteName
    }

    /// 1 to 64 letters, digits, dots, dashes and underscores: it goes into every central sensor's name.
    public static func isValidSiteName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || [UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_")].contains(byte)
            }
    }

    /// The server for messages and logs: no password.
    public var server: String { "postgres://\(username)@\(host):\(port)/\(database)" }
}

/// Why the uplink's settings cannot be used; the daemon refuses to start with them.
public enum UplinkConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidURL(String, reason: String)
    case invalidSiteName(String)
    case missingSiteName
    case unreadablePasswordFile(path: String)

    static func invalidURL(redacting text: String, reason: String) -> Self {
        var components = URLComponents(string: text)
        if components?.password != nil { components?.password = "****" }
        return .invalidURL(components?.string ?? "the URL", reason: reason)
    }

    public var description: String {
        switch self {
        case let .invalidURL(url, reason):
            "FLEXMEASURES_UPLINK_URL \(url) cannot be used: \(reason)"
        case let .invalidSiteName(name):
            "FLEXMEASURES_UPLINK_SITE \(name.debugDescription) must be 1 to 64 letters, digits, dots, dashes or underscores"
        case .missingSiteName:
            "FLEXMEASURES_UPLINK_SITE must name this site (unique in the fleet) when FLEXMEASURES_UPLINK_URL is set"
        case let .unreadablePasswordFile(path):
            "FLEXMEASURES_UPLINK_PASSWORD_FILE \(path) cannot be read"
        }
    }
}
