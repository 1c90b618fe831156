import Foundation
import Testing
@testable import Console

@Suite struct StaticFilesTests {
    /// The binary's copy of every file is the folder's file, byte for byte: a file changed without running
    /// scripts/embed-static.py fails here.
    @Test func embeddedFilesMatchTheFolder() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/Console/Static/Files")
        let served = Set(["css", "js", "svg", "png", "ico", "txt"])
        let names = try FileManager.default.subpathsOfDirectory(atPath: folder.path)
            .filter { served.contains(URL(fileURLWithPath: $0).pathExtension) }
        #expect(!names.isEmpty)
        #expect(Set(names) == Set(StaticFiles.all.keys))
        for name in names {
            let onDisk = try Data(contentsOf: folder.appendingPathComponent(name))
            let embedded = try #require(StaticFiles.all[name])
            #expect(Data(embedded.identity.readableBytesView) == onDisk, "\(name) differs: run scripts/embed-static.py")
        }
    }
}
