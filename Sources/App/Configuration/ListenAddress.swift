/// A TCP listener address written `HOST:PORT` (`[::1]:5000` for IPv6).
public struct ListenAddress: Hashable, Sendable, CustomStringConvertible {
    public let host: String
    public let port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`; the port must be 0-65535 (0 picks a free port).
    public init(parsing text: String) throws(SettingError) {
        let invalid = SettingError(name: "bind", value: text, expected: "HOST:PORT, e.g. 127.0.0.1:5000 or [::1]:5000")
        guard let colon = text.lastIndex(of: ":") else { throw invalid }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw invalid
        }
        self.init(host: host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
