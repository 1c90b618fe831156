import Beliefs
import Foundation
import Site

/// Site's `AlertTransport` over the network: mail through `SMTPClient`, webhooks through `WebhookClient`.
public struct NetworkTransport: AlertTransport {
    /// The mail server, nil when mail is off.
    public var smtp: SMTPConfiguration?
    /// `MAIL_DEFAULT_SENDER`: the From of every mail.
    public var sender: String
    /// A PEM file of certificates to trust besides the system's, for https webhooks.
    public var trustedCertificatesFile: String?

    public init(smtp: SMTPConfiguration?, sender: String, trustedCertificatesFile: String? = nil) {
        self.smtp = smtp
        self.sender = sender
        self.trustedCertificatesFile = trustedCertificatesFile
    }

    public func sendMail(subject: String, body: String, to recipients: [String]) async throws {
        guard let smtp else {
            throw DeliveryError(server: "mail", step: .configuration, "no mail server is configured (MAIL_SERVER)")
        }
        try await SMTPClient(configuration: smtp).send(MailMessage(from: sender, to: recipients, subject: subject, body: body))
    }

    public func postWebhook(_ json: Data, to url: String, timeout: Timespan) async throws {
        let client = try WebhookClient(
            url: url, timeout: .microseconds(max(1, timeout.microseconds)), trustedCertificatesFile: trustedCertificatesFile
        )
        try await client.post(json: json)
    }
}
