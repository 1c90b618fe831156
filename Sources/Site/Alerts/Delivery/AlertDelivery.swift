import Beliefs
import Foundation
import Jobs

/// A way out for alert notices: the site's mail recipients or its webhook receiver.
public enum AlertChannel: String, Codable, CaseIterable, Sendable {
    case mail, webhook
}

/// What sends a rendered notice over the wire (SMTP, HTTP). Site formats and keeps the books; the
/// `Delivery` module speaks the protocols, so the application core holds no networking.
public protocol AlertTransport: Sendable {
    /// Sends a plain-text mail to `recipients` from the configured sender.
    func sendMail(subject: String, body: String, to recipients: [String]) async throws
    /// POSTs `json` to the webhook receiver at `url`, within `timeout`.
    func postWebhook(_ json: Data, to url: String, timeout: Timespan) async throws
}

/// Where and how the site delivers alert notices (issue 14): which channels are on, whether each sends
/// "resolved" notices, and how failed sends are retried through the durable job queue.
public struct AlertDelivery: Sendable {
    /// Mail to these recipients (`FLEXMEASURES_ALERT_MAIL_TO` with `MAIL_SERVER`); nil: no mail.
    public struct Mail: Sendable {
        public var recipients: [String]
        public var sendResolved: Bool
        public init(recipients: [String], sendResolved: Bool = true) {
            self.recipients = recipients
            self.sendResolved = sendResolved
        }
    }

    /// A webhook receiver (`FLEXMEASURES_ALERT_WEBHOOK_URL`); nil: no webhook.
    public struct Webhook: Sendable {
        public var url: String
        public var sendResolved: Bool
        public var timeout: Timespan
        public init(url: String, sendResolved: Bool = true, timeout: Timespan = .seconds(10)) {
            self.url = url
            self.sendResolved = sendResolved
            self.timeout = timeout
        }
    }

    public var mail: Mail?
    public var webhook: Webhook?
    public var transport: any AlertTransport
    /// How a failed send is tried again: 8 attempts, waiting 30 s, 1 min, 2 min, ... up to 30 min (about
    /// 1.5 hours in all) before the job stays failed, listed by `flexmeasures jobs` and the job alerts.
    public var retry = RetryPolicy(maximumAttempts: 8, initialDelay: .seconds(30), maximumDelay: .minutes(30))
    /// The name of the receiver in the webhook's JSON.
    public var receiver = "flexmeasures"
    /// Where the appliance can be reached (Alertmanager's `externalURL`); empty when unknown.
    public var externalURL = ""

    public init(mail: Mail? = nil, webhook: Webhook? = nil, transport: any AlertTransport) {
        self.mail = mail
        self.webhook = webhook
        self.transport = transport
    }

    /// The channels that are on.
    public var channels: [AlertChannel] {
        [mail.map { _ in AlertChannel.mail }, webhook.map { _ in AlertChannel.webhook }].compactMap { $0 }
    }

    /// Whether `channel` sends notices that say an alert resolved.
    public func sendsResolved(_ channel: AlertChannel) -> Bool {
        switch channel {
        case .mail: mail?.sendResolved ?? false
        case .webhook: webhook?.sendResolved ?? false
        }
    }
}
