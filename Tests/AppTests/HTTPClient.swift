import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A minimal HTTP/1.1 client over TCP or a Unix socket, so that tests exercise both listeners the
/// same way (URLSession cannot speak to a Unix socket).
struct HTTPClient {
    enum Endpoint {
        case tcp(port: Int)
        case unix(path: String)
    }

    typealias Reply = HTTPReply

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let endpoint: Endpoint

    func send(_ method: String, _ path: String, token: String? = nil, json: Any? = nil, body raw: Data? = nil,
              headers: [String: String] = [:]) throws -> Reply {
        try start(method, path, token: token, json: json, body: raw, headers: headers).reply()
    }

    /// A request written to the socket whose answer has not been read yet.
    final class PendingReply {
        let socket: Int32
        private let client: HTTPClient

        fileprivate init(socket: Int32, client: HTTPClient) {
            self.socket = socket
            self.client = client
        }

        deinit { close(socket) }

        func reply() throws -> Reply { try client.parse(client.readAll(socket)) }
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
        let pending = PendingReply(socket: try connect(), client: self)
        try write(pending.socket, Data(head.utf8) + body)
        return pending
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
            guard result == 0 else { close(fd); throw Failure(description: "cannot connect to port \(port): errno \(errno)") }
            return fd
        case let .unix(path):
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            let result = withUnixAddress(path) { Glibc.connect(fd, $0, $1) }
            guard result == 0 else { close(fd); throw Failure(description: "cannot connect to \(path): errno \(errno)") }
            return fd
        }
    }

    private func write(_ fd: Int32, _ data: Data) throws {
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                guard written > 0 else { throw Failure(description: "send failed: errno \(errno)") }
                offset += written
            }
        }
    }

    fileprivate func readAll(_ fd: Int32) throws -> Data {
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count <= 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return data
    }

    func parse(_ data: Data) throws -> Reply {
        guard let split = data.range(of: Data("\r\n\r\n".utf8)) else { throw Failure(description: "no HTTP response: \(String(decoding: data, as: UTF8.self))") }
        let head = String(decoding: data[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = head[0].split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line \(head[0])") }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Reply(status: status, headers: headers, body: data[split.upperBound...])
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
