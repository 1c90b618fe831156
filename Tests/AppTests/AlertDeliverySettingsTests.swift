@testable import App
import Foundation
import Site
import Testing

/// The MAIL_* and FLEXMEASURES_ALERT_* settings turn the channels on, and refuse what cannot work with what to fix.
@Suite struct AlertDeliverySettingsTests {
    /// The settings of `environment` alone (an empty configuration file, so that no file of the machine counts).
    static func settings(_ environment: [String: String]) throws -> SiteSettings {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString).toml")
        try Data().write(to: empty)
        defer { try? FileManager.default.removeItem(at: empty) }
        return try SiteSettings(configFlag: empty.path, environment: environment)
    }

    @Test func withoutMailRecipientsOrAWebhookNothingIsDelivered() throws {
        #expect(try Self.settings(["MAIL_SERVER": "mail.site.example"]).alertDelivery() == nil)
        #expect(try Self.settings([:]).alertDelivery() == nil)
    }

    @Test func mailAndWebhookAreOnWithTheirOwnResolvedSetting() throws {
        let delivery = try #require(try Self.settings([
            "MAIL_SERVER": "mail.site.example", "MAIL_PORT": "587", "MAIL_USE_TLS": "true", "MAIL_USERNAME": "alerts",
            "MAIL_PASSWORD": "secret", "FLEXMEASURES_ALERT_MAIL_TO": "ops@site.example, night@site.example",
            "FLEXMEASURES_ALERT_MAIL_SEND_RESOLVED": "false", "FLEXMEASURES_ALERT_WEBHOOK_URL": "https://hooks.site.example/alerts",
            "FLEXMEASURES_ALERT_WEBHOOK_TIMEOUT": "3",
        ]).alertDelivery())
        #expect(delivery.channels == [.mail, .webhook])
        #expect(delivery.mail?.recipients == ["ops@site.example", "night@site.example"])
        #expect(delivery.sendsResolved(.mail) == false)
        #expect(delivery.sendsResolved(.webhook) == true)
        #expect(delivery.webhook?.timeout == .seconds(3))
    }

    static let refused: [(environment: [String: String], names: String)] = [
        (["FLEXMEASURES_ALERT_MAIL_TO": "ops@site.example"], "MAIL_SERVER"),
        (["MAIL_SERVER": "mail", "FLEXMEASURES_ALERT_MAIL_TO": "ops"], "FLEXMEASURES_ALERT_MAIL_TO"),
        (["MAIL_SERVER": "mail", "FLEXMEASURES_ALERT_MAIL_TO": "ops@site.example", "MAIL_USE_TLS": "true", "MAIL_USE_SSL": "true"], "MAIL_USE_TLS/MAIL_USE_SSL"),
        (["FLEXMEASURES_ALERT_WEBHOOK_URL": "ftp://hooks.site.example"], "FLEXMEASURES_ALERT_WEBHOOK_URL"),
        (["MAIL_SERVER": "mail", "FLEXMEASURES_ALERT_MAIL_TO": "ops@site.example", "MAIL_PORT": "70000"], "MAIL_PORT"),
    ]

    @Test(arguments: refused)
    func settingsThatCannotWorkAreRefusedByName(environment: [String: String], names: String) throws {
        let error = #expect(throws: SettingError.self) { try Self.settings(environment).alertDelivery() }
        #expect(error?.name == names, "\(String(describing: error))")
    }

    @Test func theNoticeRetentionIsASettingWithBounds() throws {
        #expect(try Self.settings([:]).siteSettings().alertNoticeRetention == .days(30))
        #expect(try Self.settings(["FLEXMEASURES_ALERT_RETENTION": "P7D"]).siteSettings().alertNoticeRetention == .days(7))
        for refused in ["PT1M", "-P1D", "P4000D", "soon"] {
            let error = #expect(throws: SettingError.self) { try Self.settings(["FLEXMEASURES_ALERT_RETENTION": refused]).siteSettings() }
            #expect(error?.name == "FLEXMEASURES_ALERT_RETENTION", "\(refused): \(String(describing: error))")
        }
    }

    @Test func configShowMasksTheMailPassword() throws {
        #expect(Settings.mailPassword.declaration.isSecret)
    }
}
