import Beliefs
import Delivery
import Foundation
import Jobs
import Site
import Testing

/// Alert mail through a real SMTP server (aiosmtpd) on loopback that requires STARTTLS before AUTH and MAIL.
@Suite(.timeLimit(.minutes(2)), .serialized) struct MailDeliveryTests {
    struct Received: Decodable {
        let mail_from: String
        let rcpt_tos: [String]
        let tls: Bool
        let authenticated: Bool
        let content: String
    }

    static func smtpServer(mode: String = "starttls") throws -> (LoopbackServer, TestCertificate) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("certificate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let certificate = try TestCertificate(in: folder)
        let server = try LoopbackServer(script: "smtp_server.py") { received in
            [certificate.certificate, certificate.key, received.path, "alerts", "s3cret pass", mode]
        }
        return (server, certificate)
    }

    static func delivery(
        port: Int, certificate: TestCertificate, security: SMTPConfiguration.Security = .startTLS, password: String = "s3cret pass",
        sendResolved: Bool = true
    ) -> AlertDelivery {
        let smtp = SMTPConfiguration(
            host: "localhost", port: port, security: security, username: "alerts", password: password,
            trustedCertificatesFile: certificate.certificate, timeout: .seconds(30)
        )
        return AlertDelivery(
            mail: .init(recipients: ["ops@site.example", "Night Shift <night@site.example>"], sendResolved: sendResolved),
            transport: NetworkTransport(smtp: smtp, sender: "FlexMeasures <alerts@site.example>")
        )
    }

    @Test func aFiringAndAResolvedAlertAreMailedOverSTARTTLSWithAuthToEveryRecipient() async throws {
        let (server, certificate) = try Self.smtpServer()
        let test = try await DeliverySite.make(delivery: Self.delivery(port: server.port, certificate: certificate))
        try await test.measure(2)
        try await test.deliver()
        try await test.measure(0.5)
        try await test.deliver()

        let mails = try server.received().map { try JSONDecoder().decode(Received.self, from: $0) }
        try #require(mails.count == 2)
        for mail in mails {
            #expect(mail.tls && mail.authenticated)
            #expect(mail.mail_from == "alerts@site.example")
            #expect(mail.rcpt_tos == ["ops@site.example", "night@site.example"])
            #expect(mail.content.contains("From: FlexMeasures <alerts@site.example>\r\n"))
            #expect(mail.content.contains("Labels:") && mail.content.contains("asset = battery"))
        }
        #expect(mails[0].content.contains("Subject: [FIRING:1] battery hot ("))
        #expect(mails[0].content.contains("Started: 2015-06-02T09:45:00Z"))
        #expect(mails[1].content.contains("Subject: [RESOLVED] battery hot ("))
        #expect(mails[1].content.contains("Ended: "))
        #expect(try await test.deliveryJobs().map(\.status) == [.finished, .finished])
        #expect(try test.site.undeliveredNotices().isEmpty, "both notices are ticked off")
    }

    @Test func resolvedNoticesAreNotMailedWhenTheChannelSaysSo() async throws {
        let (server, certificate) = try Self.smtpServer()
        let test = try await DeliverySite.make(delivery: Self.delivery(port: server.port, certificate: certificate, sendResolved: false))
        try await test.measure(2)
        try await test.measure(0.5)
        try await test.deliver()
        let mails = try server.received().map { try JSONDecoder().decode(Received.self, from: $0) }
        #expect(mails.count == 1)
        #expect(mails.first?.content.contains("[FIRING:1] battery hot") == true)
    }

    @Test func aRefusedPasswordIsLoggedAsTheJobsErrorAndTriedAgainLater() async throws {
        let (server, certificate) = try Self.smtpServer()
        let test = try await DeliverySite.make(delivery: Self.delivery(port: server.port, certificate: certificate, password: "wrong"))
        try await test.measure(2)
        try await test.deliver()
        let job = try #require(try await test.deliveryJobs().first)
        #expect(job.status == .queued && job.attempts == 1)
        #expect(job.runAfter != nil)
        let error = try #require(job.error)
        #expect(error.contains("localhost:\(server.port)") && error.contains("authentication failed"), "\(error)")
        #expect(try server.received().isEmpty)
        #expect(try test.site.undeliveredNotices().count == 1, "nothing dropped")
    }

    @Test func mailGoesThroughAServerThatSpeaksTLSFromTheFirstByte() async throws {
        let (server, certificate) = try Self.smtpServer(mode: "tls")
        let test = try await DeliverySite.make(delivery: Self.delivery(port: server.port, certificate: certificate, security: .implicitTLS))
        try await test.measure(2)
        try await test.deliver()
        let mails = try server.received().map { try JSONDecoder().decode(Received.self, from: $0) }
        #expect(mails.count == 1)
        #expect(mails.first?.authenticated == true)
        #expect(try await test.deliveryJobs().map(\.status) == [.finished])
    }

    @Test func aServerWhoseCertificateIsNotTrustedIsRefused() async throws {
        let (server, _) = try Self.smtpServer()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("other-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let stranger = try TestCertificate(in: folder)
        let test = try await DeliverySite.make(delivery: Self.delivery(port: server.port, certificate: stranger))
        try await test.measure(2)
        try await test.deliver()
        let job = try #require(try await test.deliveryJobs().first)
        #expect(job.status == .queued && job.error?.contains("TLS") == true, "\(job.error ?? "")")
        #expect(try server.received().isEmpty)
    }
}
