/// How to reach the site's mail server: the reference's `MAIL_SERVER`, `MAIL_PORT`, `MAIL_USE_TLS`
/// (STARTTLS), `MAIL_USE_SSL` (TLS from the first byte), `MAIL_USERNAME`, `MAIL_PASSWORD`.
public struct SMTPConfiguration: Sendable {
    /// How the connection is protected.
    public enum Security: String, Sendable {
        /// Plain text throughout (a relay on the same host or a trusted LAN).
        case none
        /// Plain text until STARTTLS, which the server must offer (`MAIL_USE_TLS`).
        case startTLS
        /// TLS from the first byte, usually port 465 (`MAIL_USE_SSL`).
        case implicitTLS
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// A PEM file of certificates to trust besides the system's (a LAN relay with its own CA).
    public var trustedCertificatesFile: String?
    /// The longest a connection attempt may take; the exchange after it may take ten times as long.
    public var timeout: Duration
    /// The name this client gives in EHLO.
    public var clientName: String

    public init(
        host: String, port: Int, security: Security, username: String? = nil, password: String? = nil,
        trustedCertificatesFile: String? = nil, timeout: Duration = .seconds(30), clientName: String = "flexmeasures.local"
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.trustedCertificatesFile = trustedCertificatesFile
        self.timeout = timeout
        self.clientName = clientName
    }
}
