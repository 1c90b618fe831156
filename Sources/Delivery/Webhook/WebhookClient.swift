import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// POSTs JSON to a receiver over HTTP/1.1 (http:// or https://), one connection per request, bounded by a
/// timeout on the connect and one on the whole exchange. A status other than 2xx is a failure.
public struct WebhookClient: Sendable {
    public let url: URL
    public var timeout: Duration
    /// A PEM file of certificates to trust besides the system's (a receiver with its own CA).
    public var trustedCertificatesFile: String?

    /// A client for `url`; throws when it is not an absolute http or https URL with a host.
    public init(url text: String, timeout: Duration = .seconds(10), trustedCertificatesFile: String? = nil) throws(DeliveryError) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else {
            throw DeliveryError(server: "webhook \(text)", step: .configuration, "not an http:// or https:// URL with a host")
        }
        self.url = url
        self.timeout = timeout
        self.trustedCertificatesFile = trustedCertificatesFile
    }

    private var isTLS: Bool { url.scheme?.lowercased() == "https" }
    private var host: String { url.host ?? "" }
    private var port: Int { url.port ?? (isTLS ? 443 : 80) }
    private var server: String { "webhook \(url.absoluteString)" }

    /// POSTs `body` as `application/json`; returns the receiver's status (2xx), throws `DeliveryError` otherwise.
    @discardableResult
    public func post(json body: Data) async throws(DeliveryError) -> Int {
        let tls: NIOSSLContext?
        do {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let file = trustedCertificatesFile {
                configuration.additionalTrustRoots = [.file(file)]
            }
            tls = isTLS ? try NIOSSLContext(configuration: configuration) : nil
        } catch {
            throw DeliveryError(server: server, step: .tls, "cannot set up TLS: \(error)")
        }
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        let host = self.host
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(TimeAmount(timeout))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(
                                try NIOSSLClientHandler(context: tls, serverHostname: SMTPClient.isAddress(host) ? nil : host)
                            )
                        }
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw DeliveryError(server: server, step: .connect, "\(error)")
        }
        let (status, text): (Int, String)
        do {
            (status, text) = try await exchange(on: channel, body: body)
        } catch let error as DeliveryError {
            throw error
        } catch {
            throw DeliveryError(server: server, step: .response, "\(error)")
        }
        guard (200..<300).contains(status) else {
            let said = text.isEmpty ? "" : ": \(text.prefix(200))"
            throw DeliveryError(server: server, step: .response, "the receiver answered HTTP \(status)\(said)")
        }
        return status
    }

    private func exchange(
        on channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>, body: Data
    ) async throws -> (Int, String) {
        var path = url.path.isEmpty ? "/" : url.path
        if let query = url.query { path += "?" + query }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: url.port.map { "\(host):\($0)" } ?? host)
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: "User-Agent", value: "flexmeasures-appliance")
        headers.add(name: "Connection", value: "close")
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: path, headers: headers)
        let limit = timeout
        let server = self.server
        return try await withThrowingTaskGroup(of: (Int, String).self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    try await outbound.write(.head(head))
                    try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
                    try await outbound.write(.end(nil))
                    var status = 0
                    var text = ByteBuffer()
                    for try await part in inbound {
                        switch part {
                        case let .head(response): status = Int(response.status.code)
                        case var .body(buffer): if text.readableBytes < 4096 { text.writeBuffer(&buffer) }
                        case .end: return (status, String(buffer: text))
                        }
                    }
                    throw DeliveryError(server: server, step: .response, "the receiver closed the connection before its answer ended")
                }
            }
            group.addTask {
                try await Task.sleep(for: limit)
                throw DeliveryError(server: server, step: .response, "no complete answer within \(limit)")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }
}
