import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A listening socket systemd bound and handed to the daemon (`flexmeasures.socket`).
struct InheritedSocket: Sendable, CustomStringConvertible {
    enum Address: Sendable, Equatable {
        case tcp(ListenAddress)
        case unix(path: String)

        var isTCP: Bool {
            if case .tcp = self { return true }
            return false
        }
    }

    let descriptor: CInt
    let address: Address

    var description: String {
        switch address {
        case .tcp(let address): "\(address)"
        case .unix(let path): "unix:\(path)"
        }
    }
}

/// The sockets of systemd's socket activation (`sd_listen_fds(3)` without libsystemd): `LISTEN_FDS`
/// descriptors from 3 on, meant for this process only when `LISTEN_PID` is its pid.
enum SocketActivation {
    static let firstDescriptor: CInt = 3

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The inherited listening sockets, or none when systemd passed none to this process. The variables are
    /// removed from the environment (as `sd_listen_fds(1)` does) so that nothing this process starts takes
    /// them for its own, and the descriptors are closed on exec.
    static func inheritedSockets(environment: [String: String] = ProcessInfo.processInfo.environment) throws(Failure)
        -> [InheritedSocket]
    {
        guard let pidText = environment["LISTEN_PID"], let countText = environment["LISTEN_FDS"] else { return [] }
        guard let pid = pid_t(pidText), pid == getpid() else { return [] }
        defer {
            unsetenv("LISTEN_PID")
            unsetenv("LISTEN_FDS")
            unsetenv("LISTEN_FDNAMES")
        }
        guard let count = CInt(countText), count >= 0, count <= 64 else {
            throw Failure(description: "LISTEN_FDS=\(countText) is not a count of sockets from systemd")
        }
        return try (0..<count).map { (index: CInt) throws(Failure) -> InheritedSocket in
            let descriptor = firstDescriptor + index
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            return InheritedSocket(descriptor: descriptor, address: try listeningAddress(of: descriptor))
        }
    }

    /// What a socket listens on; only listening stream sockets (`ListenStream=`, `Accept=no`) can serve HTTP.
    static func listeningAddress(of descriptor: CInt) throws(Failure) -> InheritedSocket.Address {
        func option(_ name: CInt) -> CInt? {
            var value: CInt = 0
            var length = socklen_t(MemoryLayout<CInt>.size)
            return getsockopt(descriptor, SOL_SOCKET, name, &value, &length) == 0 ? value : nil
        }
        guard let type = option(SO_TYPE) else {
            throw Failure(description: "descriptor \(descriptor) from systemd is not a socket (\(String(cString: strerror(errno))))")
        }
        guard type == CInt(SOCK_STREAM.rawValue), option(SO_ACCEPTCONN) == 1 else {
            throw Failure(description: """
                descriptor \(descriptor) from systemd is not a listening stream socket: \
                use ListenStream= with Accept=no in the socket unit
                """)
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else {
            throw Failure(description: "descriptor \(descriptor) from systemd has no address (\(String(cString: strerror(errno))))")
        }
        switch CInt(storage.ss_family) {
        case AF_INET:
            let address = withUnsafeBytes(of: storage) { $0.load(as: sockaddr_in.self) }
            let host = withUnsafeBytes(of: address.sin_addr) { numericHost(AF_INET, $0, INET_ADDRSTRLEN) }
            return .tcp(ListenAddress(host: host, port: Int(UInt16(bigEndian: address.sin_port))))
        case AF_INET6:
            let address = withUnsafeBytes(of: storage) { $0.load(as: sockaddr_in6.self) }
            let host = withUnsafeBytes(of: address.sin6_addr) { numericHost(AF_INET6, $0, INET6_ADDRSTRLEN) }
            return .tcp(ListenAddress(host: host, port: Int(UInt16(bigEndian: address.sin6_port))))
        case AF_UNIX:
            let address = withUnsafeBytes(of: storage) { $0.load(as: sockaddr_un.self) }
            let path = withUnsafeBytes(of: address.sun_path) { raw in
                // An abstract socket starts with a NUL byte; it is shown with a leading @ as systemd does.
                raw.first == 0
                    ? "@" + String(decoding: raw.dropFirst().prefix(Int(length) - MemoryLayout<sa_family_t>.size - 1), as: UTF8.self)
                    : String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            return .unix(path: path)
        default:
            throw Failure(description: "descriptor \(descriptor) from systemd is neither TCP nor a Unix socket (family \(storage.ss_family))")
        }
    }

    private static func numericHost(_ family: CInt, _ address: UnsafeRawBufferPointer, _ capacity: CInt) -> String {
        var text = [CChar](repeating: 0, count: Int(capacity))
        guard inet_ntop(family, address.baseAddress, &text, socklen_t(capacity)) != nil else { return "?" }
        return String(decoding: text.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
