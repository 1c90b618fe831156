import Foundation

/// One request of the API fuzz run (`APIFuzzTests`): a valid message of one route, the mutations made
/// to it, and what the run needs to judge the answer.
struct FuzzRequest {
    enum Authorization {
        case none
        /// The access token of one of `APISite.users`.
        case user(String)
        /// A header value sent as it is (garbage, forged, huge).
        case literal(String)
    }

    /// Changes to the HTTP framing itself; such requests may be dropped without an answer.
    enum Framing {
        case contentLength(String)
        case conflictingContentLengths
        case chunked(String)
        case chunkedAndContentLength
        case version(String)
        case method(String)
        case target(String)
        case headerLine(String)
        case connection(String)
        case whole(Data)
        case pipelined
    }

    /// The route, as the report names it: `POST /api/v1_3/postMeterData`.
    let route: String
    var method: String
    var path: String
    /// A GET message, in the query string.
    var query: [(String, FuzzValue)]?
    var rawQuery: String?
    var body: FuzzValue?
    var rawBody: Data?
    var authorization: Authorization
    var headers: [(String, String)] = []
    var framing: Framing?
    /// What was done to the valid message, in order, and the classes of those mutations.
    var mutations: [String] = []
    var classes: [String] = []
    /// The value of every belief this message writes: a refused one must leave none behind.
    var marker: Double?
    /// Amplified (one value over years): not to be sent again as a repost.
    var heavy = false

    /// A malformed request may be refused by the HTTP layer, even by closing the connection.
    var malformedHTTP: Bool { framing != nil }

    /// Whether the client shuts its write side after the request: framing that leaves the server
    /// waiting for more (a bad length, unfinished chunks) must then end in an answer or a close.
    var halfClose: Bool {
        switch framing {
        case .contentLength, .conflictingContentLengths, .chunked, .chunkedAndContentLength, .whole: true
        default: false
        }
    }

    /// One line for the report: the route, the mutations, and the start of the message.
    var summary: String {
        let what = mutations.isEmpty ? "valid" : Data(mutations.joined(separator: "; ").utf8).printable(limit: 400)
        let query = queryString.map { "?" + Data($0.utf8).printable(limit: 160) } ?? ""
        return "\(method) \(Data(path.utf8).printable(limit: 120))\(query) [\(what)] \(bodyBytes.printable(limit: 240))"
    }

    var queryString: String? {
        if let rawQuery { return rawQuery }
        guard let query else { return nil }
        return query.map { "\(Self.escape($0.0))=\(Self.escape($0.1.queryText))" }.joined(separator: "&")
    }

    var bodyBytes: Data {
        if let rawBody { return rawBody }
        return body.map { Data($0.json.utf8) } ?? Data()
    }

    /// The request as bytes, with `token` for `.user` authorization.
    func bytes(token: (String) -> String?) -> Data {
        var method = self.method
        var target = path + (queryString.map { "?" + $0 } ?? "")
        var version = "HTTP/1.1"
        var body = bodyBytes
        var lines = ["Host: localhost"]
        var connection = "close"
        var length: String? = String(body.count)
        var extra: [String] = []
        switch framing {
        case let .contentLength(text): length = text
        case .conflictingContentLengths: extra.append("Content-Length: \(body.count + 7)")
        case let .chunked(chunks):
            length = nil
            extra.append("Transfer-Encoding: chunked")
            body = Data(chunks.utf8)
        case .chunkedAndContentLength:
            extra.append("Transfer-Encoding: chunked")
            body = Data("\(String(body.count, radix: 16))\r\n".utf8) + body + Data("\r\n0\r\n\r\n".utf8)
        case let .version(text): version = text
        case let .method(text): method = text
        case let .target(text): target = text
        case let .headerLine(line): extra.append(line)
        case let .connection(text): connection = text
        case .whole, .pipelined, nil: break
        }
        if case let .whole(data) = framing { return data }
        lines.append("Connection: \(connection)")
        if let length { lines.append("Content-Length: \(length)") }
        if !body.isEmpty { lines.append("Content-Type: application/json") }
        switch authorization {
        case .none: break
        case let .user(name): if let token = token(name) { lines.append("Authorization: \(token)") }
        case let .literal(text): lines.append("Authorization: \(text)")
        }
        lines += headers.map { "\($0.0): \($0.1)" } + extra
        let head = "\(method) \(target) \(version)\r\n" + lines.joined(separator: "\r\n") + "\r\n\r\n"
        var request = Data(head.utf8) + body
        if case .pipelined = framing { request += Data("GET /api/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8) }
        return request
    }

    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension Data {
    /// The first `limit` bytes as one printable line: control characters and invalid UTF-8 escaped.
    func printable(limit: Int) -> String {
        var out = ""
        for scalar in String(decoding: prefix(limit), as: UTF8.self).unicodeScalars {
            switch scalar.value {
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0..<0x20, 0x7F: out += String(format: "\\x%02x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + (count > limit ? "...(\(count) bytes)" : "")
    }
}
