import BeliefStore
import Foundation

/// A database file in a fresh temporary folder, removed when the test is done with it.
final class TemporaryDatabase {
    let directory: URL
    var path: String { directory.appendingPathComponent("site.db").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("fm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }
}
