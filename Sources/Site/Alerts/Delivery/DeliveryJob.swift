import Beliefs
import Foundation
import GRDB
import Jobs

/// Sends a group of outbox notices over one channel: queued by `Site.dispatchAlertNotices` on the
/// `delivery` queue with the site's retry policy. A failed send fails the run with the reason (logged by
/// the worker) and is tried again after its backoff; once the attempts are used up the job stays failed,
/// listed by `flexmeasures jobs` and the API, with the notices it could not send in its payload.
public enum DeliveryJob {
    public static let kind = "deliver-alerts"

    /// Which notices (outbox ids) go out over which channel.
    public struct Payload: Codable, Sendable, Equatable {
        public let channel: AlertChannel
        public let notificationIDs: [Int64]

        enum CodingKeys: String, CodingKey {
            case channel, notificationIDs = "notification_ids"
        }
    }

    /// What was sent, the job's result.
    struct Result: Codable, Sendable {
        let channel: AlertChannel
        let sent: Int
        let status: String
    }

    /// A job that can never succeed as configured now: failed at once, with what to fix.
    public struct NotConfigured: FinalJobError, CustomStringConvertible {
        public let description: String
    }

    /// The job handler.
    public static func run(_ job: Job, site: Site) async throws -> String {
        let payload = try JobCoding.decode(Payload.self, from: job.payload, what: "the payload of delivery job \(job.id)")
        guard let delivery = site.alertDelivery else {
            throw NotConfigured(description: "alert delivery is not configured any more: notices \(payload.notificationIDs) were not sent by \(payload.channel)")
        }
        let entries = try site.outboxEntries(ids: payload.notificationIDs)
        guard !entries.isEmpty else {
            return try JobCoding.encode(Result(channel: payload.channel, sent: 0, status: "the notices are no longer in the outbox"))
        }
        let message = AlertmanagerMessage(
            notices: entries.map(\.notice), receiver: delivery.receiver, externalURL: delivery.externalURL
        )
        switch payload.channel {
        case .mail:
            guard let mail = delivery.mail, !mail.recipients.isEmpty else {
                throw NotConfigured(description: "mail is not configured any more (FLEXMEASURES_ALERT_MAIL_TO, MAIL_SERVER): notices \(payload.notificationIDs) were not mailed")
            }
            try await delivery.transport.sendMail(subject: message.mailSubject, body: message.mailBody, to: mail.recipients)
        case .webhook:
            guard let webhook = delivery.webhook else {
                throw NotConfigured(description: "the webhook is not configured any more (FLEXMEASURES_ALERT_WEBHOOK_URL): notices \(payload.notificationIDs) were not posted")
            }
            try await delivery.transport.postWebhook(try message.webhookJSON(), to: webhook.url, timeout: webhook.timeout)
        }
        try await site.markNoticesDelivered(ids: entries.map(\.id))
        return try JobCoding.encode(Result(channel: payload.channel, sent: entries.count, status: message.status.rawValue))
    }
}
