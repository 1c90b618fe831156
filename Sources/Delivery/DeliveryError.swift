/// Why a message was not delivered: which server, at which step, and what it said, so that the operator
/// knows what to fix (an address, a password, a certificate, the receiver).
public struct DeliveryError: Error, CustomStringConvertible, Sendable {
    /// Where it went wrong.
    public enum Step: String, Sendable {
        case connect, tls = "TLS", greeting, ehlo, startTLS = "STARTTLS", authentication, sender = "MAIL FROM", recipient = "RCPT TO"
        case data = "DATA", request, response, configuration
    }

    public let server: String
    public let step: Step
    public let message: String

    public init(server: String, step: Step, _ message: String) {
        self.server = server
        self.step = step
        self.message = message
    }

    public var description: String { "\(server): \(step.rawValue) failed: \(message)" }
}
