import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client over TCP or a Unix socket, so that tests exercise both listeners the
/// same way (URLSession cannot speak to a Unix socket). Every read and write is bounded by `timeout`.
struct HTTPClient {
    enum Endpoint {
        case tcp(port: Int)
        case unix(path: String)
    }

    typealias Reply = HTTPReply

    struct Failure: Error, CustomStringConvertible {
        /// What went wrong, so that callers can tell a dead listener from a hung one.
        enum Kind: Sendable {
            /// Nobody listens (connection refused, socket file gone).
            case connect
            /// The peer closed or reset the connection before a whole answer arrived.
            case closed
            /// No whole answer within the timeout.
            case timeout
            case other
        }

        let description: String
        var kind: Kind = .other
    }

    let endpoint: Endpoint
    /// The longest a request may take, from connecting to the last byte of the answer.
    var timeout: TimeInterval = 30

    func send(_ method: String, _ path: String, token: String? = nil, json: Any? = nil, body raw: Data? = nil,
              headers: [String: String] = [:]) throws -> Reply {
        try start(method, path, token: token, json: json, body: raw, headers: headers).reply()
    }

    /// A request written to the socket whose answer has not been read yet.
    final class PendingReply {
        let socket: Int32
        private let client: HTTPClient
        private let deadline: Date
        private let head: Bool

        fileprivate init(socket: Int32, client: HTTPClient, head: Bool) {
            self.socket = socket
            self.client = client
            self.head = head
            deadline = Date().addingTimeInterval(client.timeout)
        }

        deinit { close(socket) }

        func reply() throws -> Reply { try HTTPClient.readReply(socket, until: deadline, bodiless: head) }
    }

    /// Connects and writes the request, without waiting for the answer (which may come from a daemon
    /// started only after the request was queued, as with socket activation).
    func start(_ method: String, _ path: String, token: String? = nil, json: Any? = nil, body raw: Data? = nil,
               headers: [String: String] = [:]) throws -> PendingReply {
        var body = raw ?? Data()
        if let json { body = try JSONSerialization.data(withJSONObject: json) }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(headers["Host"] ?? "localhost")\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        if !body.isEmpty { head += "Content-Type: application/json\r\n" }
        if let token { head += "Authorization: \(token)\r\n" }
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) where name != "Host" { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        return try start(raw: Data(head.utf8) + body)
    }

    /// Writes `bytes` as they are (a whole request, well-formed or not) and returns the pending answer.
    /// With `halfClose` the write side is shut afterwards, so that a server waiting for more sees the end.
    /// A server that answers early and closes (413) while the request is still being written is still heard.
    func start(raw bytes: Data, halfClose: Bool = false) throws -> PendingReply {
        let pending = PendingReply(socket: try connect(), client: self, head: bytes.starts(with: Data("HEAD ".utf8)))
        do {
            try Self.write(pending.socket, bytes, until: Date().addingTimeInterval(timeout))
        } catch let failure as Failure where failure.kind == .closed {
            return pending
        }
        if halfClose { shutdown(pending.socket, Int32(SHUT_WR)) }
        return pending
    }

    /// Sends `bytes` as they are and reads one answer.
    func exchange(raw bytes: Data, halfClose: Bool = false) throws -> Reply {
        try start(raw: bytes, halfClose: halfClose).reply()
    }

    /// A connected socket for tests that write slowly or not at all; closed on deinit.
    final class Connection: @unchecked Sendable {
        let socket: Int32
        init(socket: Int32) { self.socket = socket }
        deinit { close(socket) }

        /// Writes `bytes`; false once the peer has closed.
        @discardableResult
        func write(_ bytes: Data, timeout: TimeInterval = 5) -> Bool {
            (try? HTTPClient.write(socket, bytes, until: Date().addingTimeInterval(timeout))) != nil
        }

        func reply(timeout: TimeInterval) throws -> Reply {
            try HTTPClient.readReply(socket, until: Date().addingTimeInterval(timeout))
        }
    }

    func open() throws -> Connection { Connection(socket: try connect()) }

    /// An answer read whole already (e.g. by a raw connection): its head, and its body by its length or chunks.
    func parse(_ data: Data) throws -> Reply {
        guard let split = data.range(of: Data("\r\n\r\n".utf8)) else {
            throw Failure(description: "no HTTP response: \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        let (status, headers) = try Self.head(data[..<split.lowerBound])
        let body = Data(data[split.upperBound...])
        if let length = headers["content-length"].flatMap({ Int($0) }) { return Reply(status: status, headers: headers, body: body.prefix(length)) }
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            guard let decoded = Self.dechunk(body) else { throw Failure(description: "an incomplete chunked body") }
            return Reply(status: status, headers: headers, body: decoded)
        }
        return Reply(status: status, headers: headers, body: body)
    }

    /// The status and the headers (names lower-cased) of an answer's head.
    private static func head(_ bytes: Data) throws -> (status: Int, headers: [String: String]) {
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines[0].split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw Failure(description: "bad status line \(lines[0].prefix(200))")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers)
    }

    /// A connected socket to the endpoint, for tests that speak raw bytes.
    func connect() throws -> Int32 {
        switch endpoint {
        case let .tcp(port):
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard result == 0 else {
                let code = errno
                close(fd)
                throw Failure(description: "cannot connect to port \(port): errno \(code)", kind: .connect)
            }
            return fd
        case let .unix(path):
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            let result = withUnixAddress(path) { Glibc.connect(fd, $0, $1) }
            guard result == 0 else {
                let code = errno
                close(fd)
                throw Failure(description: "cannot connect to \(path): errno \(code)", kind: .connect)
            }
            return fd
        }
    }

    /// Waits until `fd` is ready for `events` or the deadline passes; returns what happened.
    @discardableResult
    private static func wait(_ fd: Int32, for events: Int16, until deadline: Date) throws -> Int16 {
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { throw Failure(description: "no answer within the timeout", kind: .timeout) }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(remaining * 1000, 1000).rounded(.up)))
            if ready > 0 { return entry.revents }
            if ready < 0 && errno != EINTR { throw Failure(description: "poll failed: errno \(errno)") }
        }
    }

    /// Writes `data`, stopping early when the peer answers or closes first (a 413 before the whole body,
    /// or an answer that does not wait for a body it will not read): the answer is then read as usual.
    fileprivate static func write(_ fd: Int32, _ data: Data, until deadline: Date) throws {
        try data.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let events = try wait(fd, for: Int16(POLLOUT) | Int16(POLLIN), until: deadline)
                if events & (Int16(POLLIN) | Int16(POLLHUP) | Int16(POLLERR)) != 0 { return }
                let written = Glibc.send(fd, base + offset, buffer.count - offset, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
                if written < 0 && (errno == EAGAIN || errno == EINTR) { continue }
                guard written > 0 else { throw Failure(description: "send failed: errno \(errno)", kind: .closed) }
                offset += written
            }
        }
    }

    /// A `bodiless` answer (to HEAD) ends with its head, whatever its Content-Length says.
    fileprivate static func readReply(_ fd: Int32, until deadline: Date, bodiless: Bool = false) throws -> Reply {
        var data = Data()
        var closed = false
        func more() throws {
            try wait(fd, for: Int16(POLLIN), until: deadline)
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = recv(fd, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if count < 0 && (errno == EAGAIN || errno == EINTR) { return }
            if count <= 0 { closed = true; return }
            data.append(contentsOf: buffer[0..<count])
        }
        func failClosed() -> Failure {
            Failure(description: data.isEmpty ? "connection closed without an answer"
                : "connection closed in the middle of an answer: \(String(decoding: data.prefix(300), as: UTF8.self))", kind: .closed)
        }
        while true {
            var split = data.range(of: Data("\r\n\r\n".utf8))
            while split == nil {
                if closed { throw failClosed() }
                try more()
                split = data.range(of: Data("\r\n\r\n".utf8))
            }
            let headEnd = split!
            let (status, headers) = try head(data[..<headEnd.lowerBound])
            if (100..<200).contains(status) && status != 101 {
                data = Data(data[headEnd.upperBound...])
                continue
            }
            var body = Data(data[headEnd.upperBound...])
            if bodiless || status == 101 || status == 204 || status == 304 {
                return Reply(status: status, headers: headers, body: Data())
            }
            if let length = headers["content-length"].flatMap({ Int($0) }) {
                while body.count < length {
                    if closed { throw failClosed() }
                    let before = data.count
                    try more()
                    body.append(data[before...])
                }
                return Reply(status: status, headers: headers, body: body.prefix(length))
            }
            if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
                while true {
                    if let decoded = dechunk(body) { return Reply(status: status, headers: headers, body: decoded) }
                    if closed { throw failClosed() }
                    let before = data.count
                    try more()
                    body.append(data[before...])
                }
            }
            while !closed {
                let before = data.count
                try more()
                body.append(data[before...])
            }
            return Reply(status: status, headers: headers, body: body)
        }
    }

    /// The body of a whole chunked encoding, or nil while the last chunk has not arrived.
    private static func dechunk(_ raw: Data) -> Data? {
        var output = Data()
        var index = raw.startIndex
        while true {
            guard let lineEnd = raw[index...].range(of: Data("\r\n".utf8)) else { return nil }
            let sizeText = String(decoding: raw[index..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
            let start = lineEnd.upperBound
            if size == 0 { return output }
            guard raw.distance(from: start, to: raw.endIndex) >= size + 2 else { return nil }
            let end = raw.index(start, offsetBy: size)
            output.append(raw[start..<end])
            index = raw.index(end, offsetBy: 2)
        }
    }
}

/// Calls `body` with the `sockaddr_un` of a Unix socket path (cut to what the structure holds).
func withUnixAddress<Result>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    withUnsafeMutableBytes(of: &address.sun_path) { buffer in
        for (index, byte) in path.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
    }
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
}
