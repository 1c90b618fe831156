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

    /// Reads `postgres://user@host:port/database?sslmode=...&sslrootcert=...`. Every message about the URL shows it
    /// with any password in it masked (`redacted`).
    public init(url raw: String, password: String?, siteName: String) throws(UplinkConfigurationError) {
        let text = Self.redacted(raw)
        guard raw.utf8.count <= 2048 else { throw .invalidURL(String(text.prefix(80)) + "…", reason: "it is longer than 2,048 bytes") }
        guard let url = URLComponents(string: raw), let scheme = url.scheme, ["postgres", "postgresql"].contains(scheme.lowercased()) else {
            throw .invalidURL(text, reason: "it must look like postgres://user@host:5432/database")
        }
        guard var host = url.host, !host.isEmpty else { throw .invalidURL(text, reason: "it names no host") }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let user = url.user, !user.isEmpty else { throw .invalidURL(text, reason: "it names no user (postgres://user@host/database)") }
        guard url.password == nil, !(url.queryItems ?? []).contains(where: { $0.name == "password" }) else {
            throw .invalidURL(text, reason: "it holds a password; put it in FLEXMEASURES_UPLINK_PASSWORD_FILE or FLEXMEASURES_UPLINK_PASSWORD instead")
        }
        if let port = url.port, !(1...65_535).contains(port) { throw .invalidURL(text, reason: "its port must be from 1 to 65535") }
        let database = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        guard !database.isEmpty, !database.contains("/") else { throw .invalidURL(text, reason: "it names no database (…/database)") }
        var tls = TLSMode.prefer
        var rootCertificateFile: String?
        var seen: Set<String> = []
        for item in url.queryItems ?? [] {
            guard seen.insert(item.name).inserted else { throw .invalidURL(text, reason: "it gives \(item.name) twice") }
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

    /// The URL with a password in it (`user:password@` or `?password=`) masked: what `config show` and every
    /// message print.
    public static func redacted(_ text: String) -> String {
        guard var url = URLComponents(string: text) else {
            return text.contains("@") || text.lowercased().contains("password") ? "(a URL that cannot be read; not shown)" : text
        }
        if url.password != nil { url.password = "********" }
        url.queryItems = url.queryItems?.map { $0.name.lowercased() == "password" ? URLQueryItem(name: $0.name, value: "********") : $0 }
        return url.string ?? "(not shown)"
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
    public var server: String { "postgres://\(username)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)" }
}

/// Printed, dumped or reflected (service-lifecycle logs its services at debug level), the configuration shows
/// no password.
extension UplinkConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "UplinkConfiguration(\(server), site: \(siteName), sslmode: \(tls.rawValue))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["server": server, "siteName": siteName, "tls": tls.rawValue], displayStyle: .struct)
    }
}

/// Why the uplink's settings cannot be used; the daemon refuses to start with them.
public enum UplinkConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidURL(String, reason: String)
    case invalidSiteName(String)
    case missingSiteName
    case unreadablePasswordFile(path: String)

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
