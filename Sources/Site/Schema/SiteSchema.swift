import BeliefStore
import Jobs
import Registry
import SiteDatabase

/// The whole site schema, in the order of the migrations' numbers. Every command opens the file with
/// this list; a file with a migration not in it was written by a newer release and is refused.
public enum SiteSchema {
    public static let migrations: [SchemaMigration] = (BeliefStoreSchema.all + RegistrySchema.all + JobsSchema.all)
        .sorted { $0.identifier < $1.identifier }
}
