import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// Opening connections to the central server with the configured TLS, and bounding how long anything on
/// them may take: a server that stops answering must not hold the forwarder forever.
enum CentralConnection {
    static func open(_ configuration: UplinkConfiguration, timeout: Duration, logger: Logger) async throws -> PostgresConnection {
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch configuration.tls {
            case .disable:
                tls = .disable
            case .prefer:
                tls = .prefer(try NIOSSLContext(configuration: unverifiedTLS))
            case .require:
                tls = .require(try NIOSSLContext(configuration: unverifiedTLS))
            case .verifyFull:
                var verified = TLSConfiguration.makeClientConfiguration()
                if let file = configuration.rootCertificateFile {
                    verified.additionalTrustRoots = [.file(file)]
                }
                tls = .require(try NIOSSLContext(configuration: verified))
            }
        } catch {
            throw UplinkError.connection("the TLS settings cannot be used: \(error)", doing: "connecting to \(configuration.server)")
        }
        var postgres = PostgresConnection.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: tls
        )
        postgres.options.connectTimeout = .seconds(Int64(timeout.components.seconds))
        if configuration.tls == .verifyFull { postgres.options.tlsServerName = configuration.host }
        let doing = "connecting to \(configuration.server)"
        let settings = postgres
        do {
            return try await bounded(timeout, doing: doing) {
                try await PostgresConnection.connect(configuration: settings, id: 1, logger: logger)
            }
        } catch {
            throw UplinkError.wrap(error, doing: doing)
        }
    }

    /// libpq's `prefer` and `require`: encrypted, the certificate unchecked.
    private static var unverifiedTLS: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return configuration
    }

    /// `work`, or `UplinkError.timedOut` after `limit` (the work is cancelled; a cancelled query closes its connection).
    static func bounded<T: Sendable>(_ limit: Duration, doing: String, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else {
                throw UplinkError.timedOut(seconds: Int(limit.components.seconds), doing: doing)
            }
            return value
        }
    }
}
