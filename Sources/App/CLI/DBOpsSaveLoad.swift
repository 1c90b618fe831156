import ArgumentParser
import Foundation
import Site

/// `db-ops save DIR` and `db-ops load DIR`: the site's portable backup (`PortableBackup`).
extension DBOpsCommand {
    struct Save: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save the registry (JSON) and every belief (CSV) into a folder, consistent while the daemon writes."
        )

        @Argument(help: "The folder to write (created if needed).") var folder: String
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let saved = try database.site(policy: .inspectOnly).savePortableBackup(to: URL(fileURLWithPath: folder))
            print("Saved \(saved.registryRows) registry rows and \(saved.beliefs) beliefs to \(folder).")
        }
    }

    struct Load: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a folder made by `db-ops save` into an empty database (run `db-ops reset` first)."
        )

        @Argument(help: "The folder to read.") var folder: String
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            do {
                let loaded = try database.site().loadPortableBackup(from: URL(fileURLWithPath: folder))
                print("Loaded \(loaded.registryRows) registry rows and \(loaded.beliefs) beliefs from \(folder).")
            } catch let failure as PortableBackup.Failure {
                throw UsageFailure(failure.description)
            }
        }
    }
}
