import BeliefStore
import Beliefs
import Foundation

/// Why the site's beliefs cannot be restored from a named backup (restoreData); nothing was changed.
public typealias RestoreError = SiteError<RestoreProblem>

public enum RestoreProblem: Sendable, Hashable {
    /// No backup named.
    case unnamed
    /// The name is not a folder name (a path, or hidden).
    case invalidName
    /// No such folder in the backup directory.
    case unknownBackup
    /// Its `beliefs.csv` has rows that are not beliefs.
    case invalidRows
    /// The site cannot hold its beliefs (an unknown sensor or source, a belief twice, ...).
    case refused(IngestError.Reason)
}

extension Site {
    /// Replaces every belief of the site with those of the backup `name`: a folder in the backup directory
    /// whose `beliefs.csv` (`SavedBeliefs`) holds them, none when absent (a backup such as the reference's
    /// demo_v0). Returns how many were removed and how many stored; a `RestoreError` changes nothing.
    public func restoreBeliefs(fromBackupNamed name: String) async throws -> (removed: Int, stored: Int) {
        guard !name.isEmpty else {
            throw RestoreError(.unnamed, "Request message should include 'backup': the name of a folder in \(settings.backupDirectory)")
        }
        // A name, not a path: nothing outside the backup directory is read.
        guard !name.contains("/"), !name.hasPrefix(".") else {
            throw RestoreError(.invalidName, "a backup name is a folder name, without slashes")
        }
        let folder = URL(fileURLWithPath: settings.backupDirectory).appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RestoreError(.unknownBackup, "The requested backup is not known: no folder \(folder.path)")
        }
        let beliefs: [Belief]
        do {
            beliefs = try SavedBeliefs.read(folder.appendingPathComponent(PortableBackup.beliefsFileName))
        } catch let error as BeliefCSV.Invalid {
            throw RestoreError(.invalidRows, error.description)
        }
        do {
            return try await replaceAllBeliefs(with: beliefs)
        } catch let error as IngestError {
            // The transaction rolled back: the site keeps the beliefs it had.
            throw RestoreError(.refused(error.reason), "The backup \(name) cannot be restored: \(error.description). Nothing was changed.")
        }
    }
}
