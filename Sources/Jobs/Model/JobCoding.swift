import Foundation

/// Job payloads and results as typed values: a job kind declares a `Codable` struct for each, written
/// here as JSON with sorted keys (so equal payloads are equal text, which `enqueueUnlessQueued` relies
/// on) and read back exactly, whole numbers included (an id of 2^63 - 1 stays that id).
public enum JobCoding {
    /// A payload or result that is not the JSON its kind declares: the job fails with this, never traps.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// The JSON text of `value`.
    public static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The value of `type` that `text` holds; `what` names it in the error ("the payload of job 7").
    public static func decode<Value: Decodable>(_ type: Value.Type, from text: String, what: String) throws(Invalid) -> Value {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw Invalid(description: "\(what) is not a \(type) (\(error))")
        }
    }
}
