import Foundation
import Hummingbird

/// The fields of an `application/x-www-form-urlencoded` body, read within a byte limit. Parsing is linear in
/// the body; repeated names keep every value in order.
public struct FormBody: Sendable {
    public private(set) var values: [String: [String]] = [:]

    public init(encoded text: Substring) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            values[name, default: []].append(value)
        }
    }

    public subscript(_ name: String) -> String? { values[name]?.first }

    /// The trimmed value, nil when absent or blank.
    public func text(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Reads a form body of at most `limit` bytes; a larger or differently typed body is refused.
    public static func read(_ request: Request, limit: Int = 64 * 1024) async throws -> FormBody {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else {
            throw ConsoleError.badRequest("Send the form as application/x-www-form-urlencoded.")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw ConsoleError.tooLarge("The form is larger than \(limit / 1024) KB.")
        }
        return FormBody(encoded: Substring(String(buffer: buffer)))
    }
}
