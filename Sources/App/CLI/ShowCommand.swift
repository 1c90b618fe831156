import ArgumentParser
import BeliefStore
import Beliefs
import Foundation
import Site

/// `flexmeasures show ...`: reading data back.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show stored data.",
        subcommands: [ShowBeliefs.self, ShowAccuracy.self, ShowSiteConnection.self, ShowAlerts.self]
    )
}

struct ShowBeliefs: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beliefs",
        abstract: "Export a sensor's beliefs over a window, every belief or the most recent per event.",
        discussion: """
            CSV columns: event_start,belief_time,source_id,cumulative_probability,value. `add beliefs` reads \
            event_start,belief_time,value (drop the other two columns) and takes the source from --source.
            """
    )

    @Option(name: .customLong("sensor-id"), help: "The sensor: an asset, market or weather sensor id.") var sensorID: Int64
    @OptionGroup var window: WindowOptions
    @Option(help: "csv or json.") var format: String = "csv"
    @Flag(name: .customLong("most-recent"), help: "Only the most recent belief per event.") var mostRecent = false
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let (from, to) = try window.window()
        guard format == "csv" || format == "json" else { throw UsageFailure("invalid value for --format: use csv or json") }
        let store = BeliefStore(database: try database.open())
        let beliefs: [Belief]
        do {
            beliefs = mostRecent
                ? try store.mostRecentBeliefs(sensorID: sensorID, from: from, to: to)
                : try store.beliefs(sensorID: sensorID, from: from, to: to)
        } catch let error as BeliefStoreError {
            throw UsageFailure(error.description)
        }
        var out = ""
        if format == "csv" {
            let columns: [BeliefCSV.Column] = [.eventStart, .beliefTime, .sourceID, .probability, .value]
            out = BeliefCSV.header(columns) + "\n"
            for belief in beliefs {
                out += BeliefCSV.line(belief, columns: columns) + "\n"
            }
        } else {
            let rows: [JSONValue] = beliefs.map { belief -> JSONValue in
                let fields: [String: JSONValue] = [
                    "event_start": .string(belief.eventStart.iso8601), "belief_time": .string(belief.beliefTime.iso8601),
                    "source_id": .number(Double(belief.sourceID)), "cumulative_probability": .number(belief.cumulativeProbability),
                    "value": .number(belief.value),
                ]
                return .object(fields)
            }
            out = JSONWriter.string(.array(rows)) + "\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}
