import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One socket to the daemon that speaks whatever bytes a test gives it, as a hostile or broken client
/// would; every read has a deadline, so no test waits on the daemon for ever.
final class RawConnection {
    let fd: Int32

    init(_ endpoint: HTTPClient.Endpoint) throws {
        fd = try HTTPClient(endpoint: endpoint).connect()
    }

    deinit { close(fd) }

    /// Writes all of `bytes`; false if the daemon closed the connection first.
    @discardableResult
    func send(_ bytes: Data) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if written <= 0 { return false }
                offset += written
            }
            return true
        }
    }

    @discardableResult
    func send(_ text: String) -> Bool { send(Data(text.utf8)) }

    enum ReadResult: Equatable {
        case bytes(Data)
        /// The daemon closed the connection (end of stream or reset).
        case closed
        /// Nothing came within the wait.
        case nothing
    }

    /// One read, waiting at most `seconds`.
    func read(waiting seconds: Double) -> ReadResult {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(seconds * 1000)) > 0 else { return .nothing }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &buffer, buffer.count, 0)
        return count > 0 ? .bytes(Data(buffer[0..<count])) : .closed
    }

    /// Everything the daemon sends until it closes the connection, and whether it did within `seconds`.
    func readUntilClosed(within seconds: Double) -> (data: Data, closed: Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        var data = Data()
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return (data, false) }
            switch read(waiting: left) {
            case .bytes(let more): data.append(more)
            case .closed: return (data, true)
            case .nothing: return (data, false)
            }
        }
    }

    /// One complete response (head and a `Content-Length` body, none after HEAD), or nil if the connection
    /// closed or nothing complete came within `seconds`.
    func readResponse(within seconds: Double, toHEAD: Bool = false) -> HTTPClient.Reply? {
        let deadline = Date().addingTimeInterval(seconds)
        var data = Data()
        while true {
            if let split = data.range(of: Data("\r\n\r\n".utf8)) {
                let head = String(decoding: data[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
                var headers: [String: String] = [:]
                for line in head.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                let length = toHEAD ? 0 : Int(headers["content-length"] ?? "0") ?? 0
                if data.count - split.upperBound >= length {
                    let parts = head[0].split(separator: " ")
                    guard parts.count >= 2, let status = Int(parts[1]) else { return nil }
                    let body = data[split.upperBound..<(split.upperBound + length)]
                    return HTTPClient.Reply(status: status, headers: headers, body: Data(body))
                }
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0, case .bytes(let more) = read(waiting: left) else { return nil }
            data.append(more)
        }
    }

    /// Whether the connection is still open: nothing to read and no end of stream right now.
    var isOpen: Bool { read(waiting: 0) == .nothing }
}

/// Raises this process's soft limit of open files to at least `count` (within the hard limit), for tests
/// that hold hundreds of connections.
func raiseOpenFileLimit(to count: Int) {
    var limit = rlimit()
    let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    guard getrlimit(resource, &limit) == 0, limit.rlim_cur < rlim_t(count) else { return }
    limit.rlim_cur = min(rlim_t(count), limit.rlim_max)
    setrlimit(resource, &limit)
}
