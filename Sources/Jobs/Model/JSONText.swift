import Foundation

/// Checks that text is one JSON value, so that what a job stores can always be parsed by whoever reads it
/// (an API handler turning a result into a device message, an operator's `jq`).
enum JSONText {
    /// Nil when `text` is valid JSON (any value, also a bare string or number), else what is wrong with it.
    static func problem(in text: String) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
            return nil
        } catch {
            let nsError = error as NSError
            return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? "not valid JSON"
        }
    }
}
