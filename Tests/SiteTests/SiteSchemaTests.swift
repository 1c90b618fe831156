import BeliefStore
import Jobs
import Registry
import Site
import SiteDatabase
import Testing

@Suite struct SiteSchemaTests {
    @Test func everyModulesMigrationsAreInTheOneListInTheirOwnOrder() {
        let listed = SiteSchema.migrations.map(\.identifier)
        for module in [BeliefStoreSchema.all, RegistrySchema.all, JobsSchema.all, AlertsSchema.all, [SessionsSchema.migration]] {
            let own = module.map(\.identifier)
            #expect(listed.filter(own.contains) == own, "\(own) must all be in SiteSchema.migrations, in this order")
        }
        #expect(listed.count == BeliefStoreSchema.all.count + RegistrySchema.all.count + JobsSchema.all.count + AlertsSchema.all.count + 1)
    }

    @Test func identifiersIncreaseInTheOrderMigrationsApply() {
        let listed = SiteSchema.migrations.map(\.identifier)
        #expect(listed == listed.sorted())
        #expect(Set(listed).count == listed.count)
    }
}
