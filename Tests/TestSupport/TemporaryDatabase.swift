import Foundation

/// A database file in a fresh temporary folder, removed when the test is done with it: shared by the test
/// targets that need a real SQLite file.
public final class TemporaryDatabase {
    public let directory: URL
    public var path: String { directory.appendingPathComponent("site.db").path }

    public init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }
}
