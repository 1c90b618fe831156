import ArgumentParser
import BeliefStore
import Foundation
import GRDB
import Site

/// `flexmeasures db-ops ...`: operations on the whole database.
struct DBOpsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db-ops",
        abstract: "Dump, restore, save, load or reset the whole database.",
        subcommands: [Dump.self, Restore.self, Save.self, Load.self, Reset.self]
    )

    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy the database into FILE with SQLite's online backup: consistent while the daemon keeps writing."
        )

        @Argument(help: "The file to write (must not exist).") var file: String
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            guard !FileManager.default.fileExists(atPath: file) else {
                throw UsageFailure("\(file) exists already; choose a new file name")
            }
            // Read only: the daemon is the one writer of the file.
            let site = try database.open(policy: .inspectOnly)
            // The copy is made under a temporary name beside FILE and renamed when complete, so that a dump
            // that is killed leaves no partial file under the name, which a later dump or restore would trip on.
            Self.removeAbandonedCopies(of: file)
            let partial = Self.partialName(of: file, pid: getpid())
            do {
                let destination = try DatabaseQueue(path: partial)
                // One step from one read transaction: a single consistent snapshot, however busy the writer is.
                try site.pool.backup(to: destination)
                try destination.close()
                try Self.flush(partial)
                // link() fails if FILE appeared meanwhile: never replace someone else's file.
                guard link(partial, file) == 0 else {
                    throw UsageFailure("\(file) could not be created (\(String(cString: strerror(errno)))); nothing was written there")
                }
                unlink(partial)
                try Self.flush(URL(fileURLWithPath: file).deletingLastPathComponent().path)
            } catch {
                unlink(partial)
                unlink(partial + "-journal")
                throw error
            }
            print("Dumped \(site.path) to \(file).")
        }

        static func partialName(of file: String, pid: pid_t) -> String {
            let url = URL(fileURLWithPath: file)
            return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).partial-\(pid)").path
        }

        /// Removes the temporary copies of dumps to `file` whose process is gone (killed mid-dump).
        static func removeAbandonedCopies(of file: String) {
            let url = URL(fileURLWithPath: file)
            let directory = url.deletingLastPathComponent().path
            let prefix = ".\(url.lastPathComponent).partial-"
            for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasPrefix(prefix) {
                let rest = name.dropFirst(prefix.count)
                guard let pid = pid_t(rest.hasSuffix("-journal") ? rest.dropLast(8) : rest), pid > 0 else { continue }
                if kill(pid, 0) != 0 && errno == ESRCH {
                    unlink(directory + "/" + name)
                }
            }
        }

        /// fsync of a file or a directory, so that the dump and its name survive a power cut once announced.
        static func flush(_ path: String) throws {
            let descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else { throw UsageFailure("cannot open \(path) to flush it: \(String(cString: strerror(errno)))") }
            defer { close(descriptor) }
            guard fsync(descriptor) == 0 else { throw UsageFailure("cannot flush \(path): \(String(cString: strerror(errno)))") }
        }
    }

    struct Restore: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the database's content with a dump made by `db-ops dump` (stop the daemon first)."
        )

        @Argument(help: "The dump to restore.") var file: String
        @Flag(help: "Do not ask for confirmation.") var force = false
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            guard FileManager.default.fileExists(atPath: file) else { throw UsageFailure("no dump at \(file)") }
            // A dump from a newer release, or one that is not a flexmeasures database, is refused before anything changes.
            let known = Set(SiteSchema.migrations.map(\.identifier))
            let dump: DatabaseQueue
            let applied: [String]
            do {
                var configuration = Configuration()
                configuration.readonly = true
                dump = try DatabaseQueue(path: file, configuration: configuration)
                applied = try dump.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
            } catch {
                throw UsageFailure("\(file) is not a flexmeasures database dump: \(error)")
            }
            let unknown = applied.filter { !known.contains($0) }
            guard unknown.isEmpty else {
                throw UsageFailure("\(file) comes from a newer flexmeasures (migrations \(unknown.joined(separator: ", "))); upgrade first")
            }
            let site = try database.open(policy: .inspectOnly)
            if !force && !Terminal.confirm("Replace everything in \(site.path) with \(file)?") {
                throw UsageFailure("not confirmed; nothing was changed (use --force to skip the question)")
            }
            try site.exclusively { try dump.backup(to: site.pool) }
            let pending = try site.upgrade()
            print("Restored \(file) into \(site.path)\(pending.isEmpty ? "" : "; applied \(pending.joined(separator: ", "))").")
            // The dump's journal stands where it stood when dumped, behind what the central server holds since:
            // a new stream makes the server hold exactly what was restored.
            let store = BeliefStore(database: site)
            if try store.journalStream() != nil {
                try store.stopJournal()
                try store.startJournal(now: .now())
                print("The fleet uplink starts a new stream: the central server will hold exactly what was restored.")
            }
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase all data and re-create the tables (stop the daemon first)."
        )

        @Flag(help: "Do not ask for confirmation.") var force = false
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let site = try database.open()
            if !force && !Terminal.confirm("Erase every user, asset, belief and job in \(site.path)?") {
                throw UsageFailure("not confirmed; nothing was erased (use --force to skip the question)")
            }
            try site.exclusively { try site.pool.erase() }
            let applied = try site.upgrade()
            print("Erased \(site.path) and re-created its tables (\(applied.count) migrations).")
        }
    }
}
