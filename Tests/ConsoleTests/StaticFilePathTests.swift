import Testing
@testable import Console

@Suite struct StaticFilePathTests {
    @Test(arguments: [
        ("/static/console.js", "console.js"),
        ("/static/vendor/vega-bundle.js", "vendor/vega-bundle.js"),
        ("/static/", ""),
    ])
    func pathsUnderStaticNameTheirFileWithItsFolders(path: String, name: String) {
        #expect(StaticFiles.name(requestedBy: path) == name)
    }

    @Test(arguments: ["/", "/api/v2_0/assets", "/statics/console.js", "/static"])
    func otherPathsNameNoFile(path: String) {
        #expect(StaticFiles.name(requestedBy: path) == nil)
    }

    @Test func versionedPathsCarryTheContentHash() throws {
        let bundle = try #require(StaticFiles.all["vendor/vega-bundle.js"])
        #expect(StaticFiles.path("vendor/vega-bundle.js") == "/static/vendor/vega-bundle.js?v=\(bundle.etag.dropFirst().prefix(12))")
        #expect(bundle.contentType == "text/javascript; charset=utf-8")
    }
}
