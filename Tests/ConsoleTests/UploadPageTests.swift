import Beliefs
import Foundation
import HTTPTypes
import NIOCore
import Registry
import Site
import Testing

@Suite struct UploadPageTests {
    static let good = """
        event_start,value
        2026-01-01T00:00:00+00:00,1.5
        2026-01-01T00:15:00+00:00,1.25
        2026-01-01T00:30:00+00:00,1.0
        """
    static let oneBadLine = """
        event_start,value
        2026-01-01T00:00:00+00:00,1.5
        2026-01-01T00:15:00+00:00,lots
        2026-01-01T00:30:00+00:00,1.0
        """

    func stored(_ console: InProcessConsole, _ asset: SensorID) throws -> Int {
        try console.site.store.beliefs(sensorID: asset, from: Instant.parseISO8601("2025-12-31T00:00:00Z"), to: Instant.parseISO8601("2026-01-02T00:00:00Z")).count
    }

    @Test func aFileWithABadLineStoresNothingAndSaysWhichLine() async throws {
        let console = try InProcessConsole()
        let cs1 = try console.id(ofAsset: "cs1")
        let prosumer = try await console.signedIn("prosumer")
        #expect(try await prosumer.get("/upload").status == 200)
        let csrf = try #require(prosumer.csrfToken)
        let bad = try await prosumer.send(.post, "/upload/\(cs1)?horizon=-PT5M", headers: [.init("X-CSRF-Token")!: csrf], body: ByteBuffer(string: Self.oneBadLine))
        #expect(bad.status == 422)
        #expect(bad.text.contains("line 3"))
        #expect(try stored(console, cs1) == 0)
        let good = try await prosumer.send(.post, "/upload/\(cs1)?horizon=-PT5M", headers: [.init("X-CSRF-Token")!: csrf], body: ByteBuffer(string: Self.good))
        #expect(good.status == 200, "\(good.text)")
        #expect(good.text.contains("\"stored\": 3"))
        #expect(try stored(console, cs1) == 3)
        // The same again is refused whole: already stored.
        let again = try await prosumer.send(.post, "/upload/\(cs1)?horizon=-PT5M", headers: [.init("X-CSRF-Token")!: csrf], body: ByteBuffer(string: Self.good))
        #expect(again.status == 422)
        #expect(try stored(console, cs1) == 3)
    }

    @Test func uploadsNeedTheTokenAndAnAssetOfOnesOwn() async throws {
        let console = try InProcessConsole()
        let cs1 = try console.id(ofAsset: "cs1")
        let theirs = try console.id(ofAsset: "theirs")
        let prosumer = try await console.signedIn("prosumer")
        let noToken = try await prosumer.send(.post, "/upload/\(cs1)", body: ByteBuffer(string: Self.good))
        #expect(noToken.status == 403)
        let csrf = try #require(prosumer.csrfToken)
        let notTheirs = try await prosumer.send(.post, "/upload/\(theirs)", headers: [.init("X-CSRF-Token")!: csrf], body: ByteBuffer(string: Self.good))
        #expect(notTheirs.status == 422)
        #expect(try stored(console, theirs) == 0)
        #expect(try stored(console, cs1) == 0)
        // A market is for admins only.
        let market = try await prosumer.send(.post, "/upload/1", headers: [.init("X-CSRF-Token")!: csrf], body: ByteBuffer(string: Self.good))
        #expect(market.status == 422)
    }

    @Test func thePastedFormWorksWithoutScripts() async throws {
        let console = try InProcessConsole()
        let solar = try console.id(ofAsset: "solar")
        let prosumer = try await console.signedIn("prosumer")
        let negative = Self.good.replacingOccurrences(of: ",1.", with: ",-1.")
        let bad = try await prosumer.post("/upload", form: ["sensor": String(solar), "csv": Self.oneBadLine, "horizon": "-PT5M"])
        #expect(bad.status == 422)
        #expect(bad.text.contains("line 3"))
        let reply = try await prosumer.post("/upload", form: ["sensor": String(solar), "csv": negative, "horizon": "-PT5M"])
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.text.contains("Stored 3 value(s)."))
        #expect(try stored(console, solar) == 3)
        let badHorizon = try await prosumer.post("/upload", form: ["sensor": String(solar), "csv": Self.good, "horizon": "soon"])
        #expect(badHorizon.status == 422)
    }
}
