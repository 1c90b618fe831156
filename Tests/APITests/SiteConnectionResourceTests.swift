import Foundation
import Testing
import TestSupport

/// `GET/PUT/DELETE /api/v2_0/site/connection`: admins set and remove it, everyone signed in reads it.
@Suite struct SiteConnectionResourceTests {
    static let path = "/api/v2_0/site/connection"

    @Test func adminsSetReadAndRemoveTheConnection() async throws {
        let site = try InProcessSite()
        #expect(try await site.send("GET", Self.path, as: "prosumer").status == 404)
        let set = try await site.send("PUT", Self.path, as: "admin", json: [
            "import_capacity_mw": 2.5, "export_capacity_mw": 1, "inflexible_asset_id": 7,
        ])
        #expect(set.status == 200, "\(set.text)")
        let read = try await site.send("GET", Self.path, as: "prosumer")
        #expect(read.json?["import_capacity_mw"] as? Double == 2.5)
        #expect(read.json?["export_capacity_mw"] as? Double == 1)
        #expect(read.json?["inflexible_asset_id"] as? Int == 7)
        let replaced = try await site.send("PUT", Self.path, as: "admin", json: ["import_capacity_mw": 3, "export_capacity_mw": 0])
        #expect(replaced.json?["inflexible_asset_id"] is NSNull, "\(replaced.text)")
        #expect(try await site.send("DELETE", Self.path, as: "admin").status == 204)
        #expect(try await site.send("DELETE", Self.path, as: "admin").status == 404)
        #expect(try await site.send("GET", Self.path, as: "admin").status == 404)
    }

    @Test(arguments: ["prosumer", "other", "mdc"])
    func nonAdminsAreRefused(user: String) async throws {
        let site = try InProcessSite()
        let put = try await site.send("PUT", Self.path, as: user, json: ["import_capacity_mw": 1, "export_capacity_mw": 1])
        #expect(put.status == 403, "\(put.text)")
        #expect(put.statusString == "INVALID_SENDER")
        #expect(try await site.send("DELETE", Self.path, as: user).status == 403)
        #expect(try site.services.registry.gridConnection() == nil)
    }

    @Test func readingNeedsAToken() async throws {
        let site = try InProcessSite()
        #expect(try await site.send("GET", Self.path, as: nil).status == 401)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        let label: String
        let body: [String: JSONScalar]
        let fields: Set<String>
        var testDescription: String { label }
    }

    @Test(arguments: [
        Invalid(label: "negative import", body: ["import_capacity_mw": .number(-1), "export_capacity_mw": .number(1)], fields: ["import_capacity_mw"]),
        Invalid(label: "text export", body: ["import_capacity_mw": .number(1), "export_capacity_mw": .text("x")], fields: ["export_capacity_mw"]),
        Invalid(label: "missing both", body: [:], fields: ["import_capacity_mw", "export_capacity_mw"]),
        Invalid(label: "huge", body: ["import_capacity_mw": .number(1e300), "export_capacity_mw": .number(1)], fields: ["import_capacity_mw"]),
        Invalid(label: "unknown asset", body: ["import_capacity_mw": .number(1), "export_capacity_mw": .number(1), "inflexible_asset_id": .number(999)],
                fields: ["inflexible_asset_id"]),
        Invalid(label: "fractional asset id", body: ["import_capacity_mw": .number(1), "export_capacity_mw": .number(1), "inflexible_asset_id": .number(1.5)],
                fields: ["inflexible_asset_id"]),
        Invalid(label: "a battery as inflexible load", body: ["import_capacity_mw": .number(1), "export_capacity_mw": .number(1), "inflexible_asset_id": .number(4)],
                fields: ["inflexible_asset_id"]),
        Invalid(label: "a charge point as inflexible load", body: ["import_capacity_mw": .number(1), "export_capacity_mw": .number(1), "inflexible_asset_id": .number(2)],
                fields: ["inflexible_asset_id"]),
        Invalid(label: "unknown field", body: ["import_capacity_mw": .number(1), "export_capacity_mw": .number(1), "capacity": .number(1)],
                fields: ["capacity"]),
    ])
    func invalidConnectionsGet422PerField(invalid: Invalid) async throws {
        let site = try InProcessSite()
        let reply = try await site.send("PUT", Self.path, as: "admin", json: invalid.body.mapValues(\.value))
        #expect(reply.status == 422, "\(reply.text)")
        #expect(Set((reply.json?["errors"] as? [String: Any])?.keys.map { $0 } ?? []) == invalid.fields, "\(reply.text)")
        #expect(try site.services.registry.gridConnection() == nil)
    }

    @Test func aListIsNotAConnection() async throws {
        let site = try InProcessSite()
        let reply = try await site.send("PUT", Self.path, token: try site.token("admin"), json: [["import_capacity_mw": 1]])
        #expect(reply.status == 422)
    }
}

/// A JSON scalar for parameterised request bodies.
enum JSONScalar: Sendable {
    case number(Double)
    case text(String)

    var value: Any {
        switch self {
        case let .number(number): number
        case let .text(text): text
        }
    }
}
