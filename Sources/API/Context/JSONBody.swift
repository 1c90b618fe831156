import Foundation
import Hummingbird
import HummingbirdCore
import Site

/// Reading a request's JSON message and writing JSON answers.
public enum JSONBody {
    /// The message of a request: its JSON body, or for GET requests without a body, the query
    /// parameters (repeated keys and JSON-encoded lists become lists, as API-NOTES describes).
    public static func message(of request: Request, limit: Int) async throws -> [String: JSONValue] {
        let bytes = try await body(of: request, limit: limit)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            return queryMessage(request.uri)
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw APIError.invalidRequest("the body is not valid JSON: \(error.description)")
        }
        guard case let .object(members) = value else {
            throw APIError.invalidRequest("the message must be a JSON object, not \(value.kindName)")
        }
        return members
    }

    /// The JSON body of a REST request, whatever its shape (the resource validates it).
    public static func value(of request: Request, limit: Int) async throws -> JSONValue {
        let bytes = try await body(of: request, limit: limit)
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw APIError.invalidRequest("the body is not valid JSON: \(error.description)")
        }
    }

    /// The body's bytes, refused with 413 beyond `limit`.
    static func body(of request: Request, limit: Int) async throws -> [UInt8] {
        var buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw APIError.payloadTooLarge("the request body is larger than the limit of \(limit) bytes")
        }
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    /// Query parameters as a message: a key given more than once is a list, a value that parses as a
    /// JSON list or number is one, anything else a string.
    static func queryMessage(_ uri: HummingbirdCore.URI) -> [String: JSONValue] {
        var grouped: [String: [JSONValue]] = [:]
        for (key, text) in formParameters(uri.query ?? "") {
            let parsed: JSONValue
            if text.hasPrefix("["), let list = try? JSONParser.parse(text) {
                parsed = list
            } else if let number = Double(text), text.first.map({ $0.isNumber || $0 == "-" }) == true {
                parsed = .number(number)
            } else {
                parsed = .string(text)
            }
            grouped[key, default: []].append(parsed)
        }
        return grouped.mapValues { $0.count == 1 ? $0[0] : .array($0) }
    }

    /// The pairs of a query string as HTML forms and curl's `--data-urlencode` write them: `+` is a space,
    /// `%XX` a byte; a pair whose escapes are not UTF-8 is kept as sent.
    static func formParameters(_ query: String) -> [(key: String, value: String)] {
        func decoded(_ text: Substring) -> String {
            let spaced = text.replacingOccurrences(of: "+", with: " ")
            return spaced.removingPercentEncoding ?? spaced
        }
        return query.split(separator: "&").map { pair in
            guard let equals = pair.firstIndex(of: "=") else { return (decoded(pair), "") }
            return (decoded(pair[..<equals]), decoded(pair[pair.index(after: equals)...]))
        }
    }

    /// A JSON answer from a tree of values (messages with keys that vary per answer).
    public static func response(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(value)))
        )
    }
}
