import Dispatch

/// Runs blocking work (bcrypt, GLPK, long SQLite writes) on a dispatch queue, so that the few cooperative
/// threads that serve requests never wait on it.
public func runBlocking<T: Sendable>(
    priority: DispatchQoS.QoSClass = .userInitiated, _ work: @escaping @Sendable () throws -> T
) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global(qos: priority).async {
            continuation.resume(with: Result { try work() })
        }
    }
}
