import ArgumentParser
import Beliefs
import Foundation
import Scheduling

/// `flexmeasures-bench solve-case CASE.json`: solves a reference case's `inputs` and prints the schedule
/// as a JSON list of MW values, or `infeasible` (with the reason on standard error), for `check_schedule.py`.
struct SolveCase: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve-case",
        abstract: "Schedule one reference case (../shared/cases/scheduling/*.json) and print its MW values."
    )

    @Argument(help: "A case file with an `inputs` object.") var casePath: String

    /// The case's `inputs`, in FlexMeasures' own names.
    struct Inputs: Decodable {
        struct Target: Decodable {
            let datetime: String
            let value: Double
        }

        let kind: String
        let start: String
        let resolutionMinutes: Int
        let prices: [Double]
        let socAtStart: Double?
        let minSoc: Double?
        let maxSoc: Double?
        let capacity: Double
        let socTargets: [Target]?
        let preferChargingSooner: Bool?
    }

    struct CaseFile: Decodable {
        let inputs: Inputs
    }

    func run() throws {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let inputs = try decoder.decode(CaseFile.self, from: Data(contentsOf: URL(fileURLWithPath: casePath))).inputs
        let problem = try Self.problem(from: inputs)
        // One `Result` rather than `catch where` on the typed error: that pattern crashes Swift 6.3.1's SILGen.
        switch Result(catching: { () throws(SchedulingError) -> Schedule in try Scheduler.schedule(problem) }) {
        case .success(let schedule):
            print("[" + schedule.power[0].map { "\($0)" }.joined(separator: ", ") + "]")
        case .failure(let error) where error.kind == .infeasible:
            print("infeasible")
            FileHandle.standardError.write(Data("\(error.reason)\n".utf8))
        case .failure(let error):
            throw ValidationError(error.description)
        }
    }

    /// The problem FlexMeasures 0.2.4 builds from these inputs: one device, targets at the end of the
    /// slot that ends at their datetime.
    static func problem(from inputs: Inputs) throws -> SchedulingProblem {
        guard let kind = DeviceKind(rawValue: inputs.kind) else {
            throw ValidationError("unknown kind \(inputs.kind); expected battery, one-way_evse or two-way_evse")
        }
        guard inputs.resolutionMinutes > 0 else { throw ValidationError("resolution_minutes must be positive") }
        let start = try Instant.parseISO8601(inputs.start)
        let resolution = Timespan.minutes(Int64(inputs.resolutionMinutes))
        var targets: [SOCTarget] = []
        for target in inputs.socTargets ?? [] {
            let offset = try Instant.parseISO8601(target.datetime) - start
            let slot = Int(offset.microseconds / resolution.microseconds) - 1
            // The reference drops targets off its slot grid or outside its window; say so rather than guess.
            guard offset.isWholeMultiple(of: resolution), (0..<inputs.prices.count).contains(slot) else {
                FileHandle.standardError.write(Data("ignoring target at \(target.datetime): not at a slot end in the window\n".utf8))
                continue
            }
            targets.append(SOCTarget(slot: slot, soc: target.value))
        }
        let device = StorageDevice(
            name: "", kind: kind, socAtStart: inputs.socAtStart ?? 0, minSOC: inputs.minSoc ?? 0, maxSOC: inputs.maxSoc,
            capacity: inputs.capacity, targets: targets
        )
        return SchedulingProblem(
            slotHours: Double(inputs.resolutionMinutes) / 60, prices: inputs.prices, devices: [device],
            preferChargingSooner: inputs.preferChargingSooner ?? true
        )
    }
}
