import ArgumentParser
import BeliefStore
import Beliefs
import Foundation
import Site
import Synchronization

/// `flexmeasures add beliefs`: bulk import of a CSV of one sensor's values (the reference's issue 56).
struct AddBeliefs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beliefs",
        abstract: "Import a CSV of one sensor's values as beliefs, all or nothing.",
        discussion: """
            The file has a header and the columns event_start,value (ISO 8601 with offsets), and may add \
            belief_time to give every belief its own belief time and cumulative_probability (0.5 if not). Without belief times, \
            --horizon (rolling, e.g. -PT5M for readings made 5 minutes after each event's end) or --prior \
            (one belief time for all) says when the values were known; with neither, now. Rows that cannot \
            be read are reported with their line numbers and nothing is imported.
            """
    )

    @Option(name: .customLong("sensor-id"), help: "The sensor: an asset, market or weather sensor id.") var sensorID: Int64
    @Option(help: "The CSV file.") var file: String
    @Option(parsing: .unconditional, help: "How long before each event's end the values were known (ISO 8601, e.g. PT6H or -PT5M).")
    var horizon: String?
    @Option(help: "When all values were known (ISO 8601 datetime with an offset).") var prior: String?
    @Option(help: "The name of the data source (a script).") var source: String = "flexmeasures add beliefs"
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let horizon = try horizon.map { text in
            do { return try Timespan.parseISO8601(text) } catch { throw UsageFailure("invalid value for --horizon: \(error)") }
        }
        let prior = try prior.map { text in
            do { return try Instant.parseISO8601(text) } catch { throw UsageFailure("invalid value for --prior: \(error)") }
        }
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw UsageFailure("cannot read \(file): \(error.localizedDescription)")
        }
        let site = try database.site()
        let receipt: AppendReceipt
        do {
            receipt = try site.importBeliefsNow(
                csv: text, named: file, sensorID: sensorID, horizon: horizon, prior: prior, from: .script(name: source, type: .script)
            )
        } catch let error as ImportError {
            switch error.reason {
            case .unknownSensor: throw UsageFailure("invalid value for --sensor-id: no sensor with id \(sensorID)")
            case .unreadable: throw UsageFailure(error.description)
            case .refused: throw UsageFailure(error.description.replacingOccurrences(of: "Nothing was imported", with: "nothing was imported"))
            }
        }
        print("Imported \(receipt.beliefs) beliefs into sensor \(sensorID).")
    }
}

/// A progress bar on a terminal for long imports; silent when stderr is not a terminal.
final class Progress: Sendable {
    let total: Int
    let label: String
    private let visible: Bool
    private let done = Mutex(0)

    /// `worthShowingFrom`: below this many steps a run is short enough to need no bar.
    init(total: Int, label: String, worthShowingFrom minimum: Int = 10_000) {
        self.total = total
        self.label = label
        visible = isatty(STDERR_FILENO) == 1 && total >= minimum
        if visible { draw(0) }
    }

    /// One more step done (from any thread).
    func advance() {
        draw(done.withLock { count in
            count += 1
            return count
        })
    }

    func draw(_ done: Int) {
        guard visible else { return }
        let width = 30
        let filled = total == 0 ? width : width * min(done, total) / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
    }

    func finish() {
        guard visible else { return }
        draw(total)
        FileHandle.standardError.write(Data("\n".utf8))
    }
}
