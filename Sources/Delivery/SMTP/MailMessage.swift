import Foundation

/// A plain-text mail: what the SMTP client sends as its DATA, in RFC 5322's format with MIME headers.
public struct MailMessage: Sendable, Hashable {
    public var from: String
    public var to: [String]
    public var subject: String
    public var body: String
    public var date: Date
    /// A unique `Message-ID` (without angle brackets).
    public var messageID: String

    public init(from: String, to: [String], subject: String, body: String, date: Date = Date(), messageID: String? = nil) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        self.messageID = messageID ?? "\(UUID().uuidString.lowercased())@flexmeasures"
    }

    /// The message as sent after DATA: headers, a blank line, the body; CRLF line ends, lines starting with
    /// a dot doubled (RFC 5321 4.5.2), ending with the lone dot. Non-ASCII subjects are RFC 2047 encoded
    /// and non-ASCII bodies sent as base64, so that no server's 8-bit support matters.
    public var data: String {
        let ascii = body.allSatisfy(\.isASCII)
        var lines = [
            "From: \(from)",
            "To: \(to.joined(separator: ", "))",
            "Subject: \(Self.encodedHeader(subject))",
            "Date: \(Self.rfc5322(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: \(ascii ? "7bit" : "base64")",
            "",
        ]
        let text = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        if ascii {
            lines += text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.hasPrefix(".") ? "." + line : String(line)
            }
        } else {
            // Lines of 76 characters, cut from the bytes: indexing a String from its start for each line is quadratic.
            let encoded = Array(Data(text.utf8).base64EncodedString().utf8)
            lines += stride(from: 0, to: encoded.count, by: 76).map { start in
                String(decoding: encoded[start..<Swift.min(start + 76, encoded.count)], as: UTF8.self)
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n.\r\n"
    }

    static func encodedHeader(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        if flat.allSatisfy(\.isASCII) { return flat }
        return "=?utf-8?B?\(Data(flat.utf8).base64EncodedString())?="
    }

    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
