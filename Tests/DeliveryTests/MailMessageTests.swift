import Delivery
import Foundation
import Testing

@Suite struct MailMessageTests {
    @Test func linesStartingWithADotAreDoubledAndEveryLineEndsInCRLF() {
        let message = MailMessage(
            from: "a@b.example", to: ["c@d.example"], subject: "s", body: "one\n.two\n..three\nfour\r\n.", date: Date(timeIntervalSince1970: 0),
            messageID: "m@x"
        )
        let data = message.data
        #expect(data.contains("\r\none\r\n..two\r\n...three\r\nfour\r\n..\r\n.\r\n"))
        #expect(!data.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "no bare LF")
        #expect(data.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"))
    }

    @Test func aNonASCIISubjectAndBodyAreEncoded() {
        let message = MailMessage(from: "a@b.example", to: ["c@d.example"], subject: "Temperatur über 30 °C", body: "Wärme")
        #expect(message.data.contains("Subject: =?utf-8?B?\(Data("Temperatur über 30 °C".utf8).base64EncodedString())?=\r\n"))
        #expect(message.data.contains("Content-Transfer-Encoding: base64\r\n"))
        #expect(message.data.contains("\r\n\(Data("Wärme".utf8).base64EncodedString())\r\n.\r\n"))
    }
}
