import ArgumentParser
import BeliefStore
import Beliefs

/// `delete measurements` and `delete prognoses`: the same command for the two kinds of beliefs.
struct DeleteBeliefs {
    static func run(_ kind: BeliefStore.BeliefKind, sensorIDs: [Int64], force: Bool, database: DatabaseOptions) throws {
        let store = BeliefStore(database: try database.open())
        let what = kind == .measurements ? "measurements (horizon <= 0)" : "prognoses (horizon > 0)"
        let scope = sensorIDs.isEmpty ? "of every sensor" : "of sensor(s) \(sensorIDs.map(String.init).joined(separator: ", "))"
        if !force && !Terminal.confirm("Delete all \(what) \(scope)?") {
            throw UsageFailure("not confirmed; nothing was deleted (use --force to skip the question)")
        }
        do {
            let deleted = try store.deleteBeliefs(kind, sensorIDs: sensorIDs.isEmpty ? nil : sensorIDs)
            print("Deleted \(deleted) \(kind == .measurements ? "measurements" : "prognoses") \(scope).")
        } catch let error as BeliefStoreError {
            throw UsageFailure(error.description)
        }
    }
}

struct DeleteMeasurements: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measurements",
        abstract: "Delete measurements (beliefs with horizon <= 0), of some sensors or all."
    )

    @Option(name: .customLong("sensor-id"), help: "A sensor (asset, market or weather sensor id); repeat for more. Default: all.")
    var sensorIDs: [Int64] = []
    @Flag(help: "Do not ask for confirmation.") var force = false
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try DeleteBeliefs.run(.measurements, sensorIDs: sensorIDs, force: force, database: database)
    }
}

struct DeletePrognoses: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prognoses",
        abstract: "Delete forecasts and schedules (beliefs with horizon > 0), of some sensors or all.",
        // The reference's page on handling data (25.1.6) writes `delete forecasts`.
        aliases: ["forecasts"]
    )

    @Option(name: .customLong("sensor-id"), help: "A sensor (asset, market or weather sensor id); repeat for more. Default: all.")
    var sensorIDs: [Int64] = []
    @Flag(help: "Do not ask for confirmation.") var force = false
    @OptionGroup var database: DatabaseOptions

    func run() throws {
        try DeleteBeliefs.run(.prognoses, sensorIDs: sensorIDs, force: force, database: database)
    }
}
