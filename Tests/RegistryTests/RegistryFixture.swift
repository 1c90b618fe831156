import BeliefStore
import Beliefs
import Foundation
@testable import Registry
import TestSupport
import SiteDatabase

/// A registry on a fresh temporary file, with the standard structure and a Prosumer.
struct RegistryFixture {
    let file: TemporaryDatabase
    let registry: Registry
    let prosumer: User

    init() throws {
        file = try TemporaryDatabase()
        let site = try SiteDatabase(path: file.path, migrations: RegistrySiteSchema.migrations)
        registry = Registry(database: site, bcryptCost: 4)
        try registry.addStructure()
        prosumer = try registry.addUser(NewUser(
            username: "owner", email: "owner@example.com", password: "correct horse", roles: ["Prosumer"]
        ))
    }

    func batteryFields(name: String = "battery 1") -> AssetFields {
        AssetFields(
            name: name, assetTypeName: "battery", capacityInMW: 2, minSOCInMWh: 0, maxSOCInMWh: 5,
            eventResolution: .minutes(15), latitude: 52.1, longitude: 4.3, ownerID: prosumer.id
        )
    }
}

/// The fields named by a registry error, for comparing what was refused.
func refusedFields(_ body: () throws -> Void) -> Set<String> {
    do {
        try body()
        return []
    } catch let RegistryError.invalid(errors) {
        return Set(errors.map(\.field))
    } catch {
        return ["unexpected: \(error)"]
    }
}

/// The belief store's and the registry's migrations, in number order: the part of the site schema
/// these tests need (the app's `SiteSchema` adds the job queue).
enum RegistrySiteSchema {
    static let migrations = [BeliefStoreSchema.sensorsAndSources, RegistrySchema.initial, BeliefStoreSchema.beliefSegments, RegistrySchema.udiEvents, RegistrySchema.storageAndSiteConnection, BeliefJournalSchema.migration]
}
