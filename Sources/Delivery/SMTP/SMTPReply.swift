import NIOCore

/// One reply of an SMTP server (RFC 5321 4.2): a three-digit code and its text lines ("250-a", "250 b").
struct SMTPReply: Sendable, CustomStringConvertible {
    let code: Int
    let lines: [String]

    var description: String { "\(code) \(lines.joined(separator: " / "))" }
}

/// Cuts the server's bytes into replies: lines ending in CRLF, continued while the fourth character is '-'.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply
    /// A reply longer than this is not an SMTP server's.
    static let maximumReplyBytes = 64 * 1024

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        var view = buffer.readableBytesView[...]
        var lines: [String] = []
        var consumed = 0
        while let newline = view.firstIndex(of: UInt8(ascii: "\n")) {
            var line = view[view.startIndex..<newline]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            consumed += view.distance(from: view.startIndex, to: newline) + 1
            view = view[view.index(after: newline)...]
            let text = String(decoding: line, as: UTF8.self)
            let bytes = Array(text.utf8)
            guard bytes.count >= 3, let code = Int(String(decoding: bytes.prefix(3), as: UTF8.self)) else {
                throw SMTPProtocolError(reason: "the server sent \"\(text.prefix(80))\", not an SMTP reply")
            }
            lines.append(bytes.count > 4 ? String(decoding: bytes.dropFirst(4), as: UTF8.self) : "")
            if bytes.count < 4 || bytes[3] != UInt8(ascii: "-") {
                buffer.moveReaderIndex(forwardBy: consumed)
                context.fireChannelRead(wrapInboundOut(SMTPReply(code: code, lines: lines)))
                return .continue
            }
        }
        if buffer.readableBytes > Self.maximumReplyBytes {
            throw SMTPProtocolError(reason: "the server sent a reply of more than \(Self.maximumReplyBytes) bytes")
        }
        return .needMoreData
    }
}

/// The server does not speak SMTP as expected.
struct SMTPProtocolError: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}
