import BeliefStore
import Jobs
import Registry
import SiteDatabase

/// The whole site schema: every module's migrations in one list, in the order they apply. Every command
/// opens the file with this list; a file with a migration not in it was written by a newer release and is
/// refused. A new migration takes the next number and goes at the end.
public enum SiteSchema {
    public static let migrations: [SchemaMigration] = [
        BeliefStoreSchema.sensorsAndSources,
        RegistrySchema.initial,
        BeliefStoreSchema.beliefSegments,
        JobsSchema.migration,
        RegistrySchema.udiEvents,
        RegistrySchema.storageAndSiteConnection,
        AlertsSchema.migration,
        JobsSchema.retries,
        AlertsSchema.delivery,
        SessionsSchema.migration,
        BeliefJournalSchema.migration,
        AlertsSchema.uplinkRuleKind,
    ]
}
