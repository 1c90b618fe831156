import Foundation
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

    /// Closes a connection without waiting: what a timeout does to the connection its work was stuck on.
    static func abandon(_ connection: PostgresConnection) {
        let closing: EventLoopFuture<Void> = connection.close()
        closing.whenComplete { _ in }
    }

    /// `work`, or `UplinkError.timedOut` after `limit`. On a timeout the caller does not wait for `work` to
    /// notice its cancellation: a query on a connection whose server vanished mid-COPY was seen never to
    /// return, and a task group would wait for it for ever. `onTimeout` closes the connection, which ends it.
    static func bounded<T: Sendable>(
        _ limit: Duration, doing: String, onTimeout: @escaping @Sendable () -> Void = {},
        _ work: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let outcome = Outcome<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                outcome.attach(continuation)
                let worker = Task {
                    do { outcome.finish(.success(try await work())) } catch { outcome.finish(.failure(error)) }
                }
                Task {
                    try? await Task.sleep(for: limit)
                    if outcome.finish(.failure(UplinkError.timedOut(seconds: Int(limit.components.seconds), doing: doing))) {
                        worker.cancel()
                        onTimeout()
                    }
                }
                outcome.onCancel = { worker.cancel() }
            }
        } onCancel: {
            outcome.cancel()
        }
    }

    /// The first of a bounded call's endings; the others are dropped.
    private final class Outcome<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<T, any Error>?
        private var finished = false
        var onCancel: (@Sendable () -> Void)? {
            get { lock.withLock { cancelWork } }
            set { lock.withLock { cancelWork = newValue } }
        }
        private var cancelWork: (@Sendable () -> Void)?

        func attach(_ continuation: CheckedContinuation<T, any Error>) {
            lock.withLock { self.continuation = continuation }
        }

        /// Resumes the caller unless an ending came first; true when this was the first.
        @discardableResult
        func finish(_ result: Result<T, any Error>) -> Bool {
            let continuation: CheckedContinuation<T, any Error>? = lock.withLock {
                guard !finished else { return nil }
                finished = true
                defer { self.continuation = nil }
                return self.continuation
            }
            continuation?.resume(with: result)
            return continuation != nil
        }

        func cancel() {
            let work = lock.withLock { cancelWork }
            work?()
            finish(.failure(CancellationError()))
        }
    }
}
