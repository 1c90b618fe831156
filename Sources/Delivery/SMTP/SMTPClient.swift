import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// Sends mail through an SMTP server (RFC 5321): EHLO, STARTTLS or TLS on connect, AUTH PLAIN or LOGIN,
/// MAIL FROM, RCPT TO, DATA. One connection per message; the connect must succeed within the timeout and the
/// whole exchange within ten times it.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration

    public init(configuration: SMTPConfiguration) {
        self.configuration = configuration
    }

    private var server: String { "SMTP server \(configuration.host):\(configuration.port)" }

    /// Sends `message` to its recipients; throws `DeliveryError` naming the step and the server's reply.
    public func send(_ message: MailMessage) async throws(DeliveryError) {
        guard !message.to.isEmpty else { throw DeliveryError(server: server, step: .configuration, "the mail has no recipients") }
        // Plain SMTP needs no TLS set-up, and must not fail on a certificates file meant for TLS.
        let tls = configuration.security == .none ? nil : try tlsContext()
        let channel: NIOAsyncChannel<SMTPReply, ByteBuffer>
        do {
            channel = try await connect(tls: configuration.security == .implicitTLS ? tls : nil)
        } catch {
            throw DeliveryError(server: server, step: .connect, "\(error)")
        }
        do {
            try await withTimeouts {
                try await channel.executeThenClose { inbound, outbound in
                    var session = Session(
                        replies: inbound.makeAsyncIterator(), outbound: outbound, channel: channel.channel,
                        server: server, configuration: configuration
                    )
                    try await session.run(message, tls: tls)
                }
            }
        } catch let error as DeliveryError {
            throw error
        } catch {
            throw DeliveryError(server: server, step: .response, "\(error)")
        }
    }

    private func tlsContext() throws(DeliveryError) -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = configuration.trustedCertificatesFile {
            tls.additionalTrustRoots = [.file(file)]
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw DeliveryError(server: server, step: .tls, "cannot set up TLS (\(error)); check the certificates file \(configuration.trustedCertificatesFile ?? "")")
        }
    }

    private func connect(tls: NIOSSLContext?) async throws -> NIOAsyncChannel<SMTPReply, ByteBuffer> {
        let host = configuration.host
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(TimeAmount(configuration.timeout))
            .connect(host: host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: tls, serverHostname: Self.isAddress(host) ? nil : host)
                        )
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                    return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Runs `work` with the whole exchange bounded: a server that stops answering costs at most ten timeouts,
    /// never a worker for good.
    private func withTimeouts(_ work: @escaping @Sendable () async throws -> Void) async throws {
        let limit = configuration.timeout * 10
        let server = self.server
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw DeliveryError(server: server, step: .response, "no answer within \(limit)")
            }
            try await group.next()
            group.cancelAll()
        }
    }

    static func isAddress(_ host: String) -> Bool {
        host.contains(":") || host.split(separator: ".").allSatisfy { UInt8($0) != nil }
    }

    /// One conversation with the server.
    private struct Session {
        var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        let channel: any Channel
        let server: String
        let configuration: SMTPConfiguration
        /// While the TLS handshake may still be under way: a transport error then is the handshake's.
        var handshaking = false

        mutating func run(_ message: MailMessage, tls: NIOSSLContext?) async throws {
            handshaking = configuration.security == .implicitTLS
            try await expect(220, at: .greeting)
            handshaking = false
            var extensions = try await command("EHLO \(configuration.clientName)", expecting: [250], at: .ehlo).lines
            if configuration.security == .startTLS, let tls {
                guard extensions.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else {
                    throw DeliveryError(server: server, step: .startTLS, "the server does not offer STARTTLS; set MAIL_USE_TLS=false or use its TLS port with MAIL_USE_SSL=true")
                }
                _ = try await command("STARTTLS", expecting: [220], at: .startTLS)
                let host = configuration.host
                try await channel.eventLoop.submit { [channel] in
                    try channel.pipeline.syncOperations.addHandler(
                        try NIOSSLClientHandler(context: tls, serverHostname: SMTPClient.isAddress(host) ? nil : host), position: .first
                    )
                }.get()
                handshaking = true
                extensions = try await command("EHLO \(configuration.clientName)", expecting: [250], at: .ehlo).lines
                handshaking = false
            }
            if let username = configuration.username, !username.isEmpty {
                try await authenticate(username: username, password: configuration.password ?? "", extensions: extensions)
            }
            _ = try await command("MAIL FROM:<\(Self.address(message.from))>", expecting: [250], at: .sender)
            for recipient in message.to {
                _ = try await command("RCPT TO:<\(Self.address(recipient))>", expecting: [250, 251], at: .recipient)
            }
            _ = try await command("DATA", expecting: [354], at: .data)
            try await write(message.data)
            try await expect(250, at: .data)
            // The mail is accepted; a server that hangs up without answering QUIT changes nothing.
            try? await write("QUIT\r\n")
        }

        mutating func authenticate(username: String, password: String, extensions: [String]) async throws {
            let mechanisms = extensions.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased().split(separator: " ").map(String.init) ?? []
            func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
            if mechanisms.contains("LOGIN") && !mechanisms.contains("PLAIN") {
                _ = try await command("AUTH LOGIN", expecting: [334], at: .authentication)
                _ = try await command(base64(username), expecting: [334], at: .authentication, shown: "(the user name)")
                _ = try await command(base64(password), expecting: [235], at: .authentication, shown: "(the password)")
            } else {
                _ = try await command(
                    "AUTH PLAIN \(base64("\u{0}\(username)\u{0}\(password)"))", expecting: [235], at: .authentication,
                    shown: "AUTH PLAIN (user name and password)"
                )
            }
        }

        /// The bare address of "Name <a@b>" or "a@b".
        static func address(_ text: String) -> String {
            if let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
                return String(text[text.index(after: open)..<close])
            }
            return text.trimmingCharacters(in: .whitespaces)
        }

        mutating func command(_ line: String, expecting codes: [Int], at step: DeliveryError.Step, shown: String? = nil) async throws -> SMTPReply {
            do {
                try await write(line + "\r\n")
            } catch {
                throw DeliveryError(server: server, step: handshaking ? .tls : step, "cannot send \(shown ?? line): \(error)")
            }
            let reply = try await next(at: step)
            guard codes.contains(reply.code) else {
                throw DeliveryError(server: server, step: step, "the server answered \(shown ?? line) with \(reply)")
            }
            return reply
        }

        mutating func expect(_ code: Int, at step: DeliveryError.Step) async throws {
            let reply = try await next(at: step)
            guard reply.code == code else { throw DeliveryError(server: server, step: step, "the server said \(reply)") }
        }

        mutating func next(at step: DeliveryError.Step) async throws -> SMTPReply {
            let reply: SMTPReply?
            do {
                reply = try await replies.next()
            } catch {
                if handshaking {
                    throw DeliveryError(server: server, step: .tls, "the TLS handshake failed (\(error)); is the server's certificate trusted (FLEXMEASURES_ALERT_CA_FILE), and is it its TLS port?")
                }
                throw DeliveryError(server: server, step: step, "\(error)")
            }
            guard let reply else { throw DeliveryError(server: server, step: step, "the server closed the connection") }
            return reply
        }

        func write(_ text: String) async throws {
            try await outbound.write(ByteBuffer(string: text))
        }
    }
}
