import Foundation
@testable import Scheduling

/// scipy's optimum of a problem, from `scripts/scheduling-reference-optimum.py` run with python3: an
/// independent formulation (cumulative sums, a binary per device and slot) and solver (HiGHS).
///
/// Throws when python3, scipy or the script fails, so that a test relying on it fails rather than skips;
/// `scripts/install-deps.sh` installs scipy.
struct ReferenceOptimum {
    /// EUR, with charging and discharging a device in the same slot forbidden.
    let cost: Double
    /// EUR, the same program with that rule dropped (the LP relaxation).
    let relaxedCost: Double
    /// MW per device and slot, net, of the integer optimum.
    let power: [[Double]]

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/scheduling-reference-optimum.py")

    /// Solves `problem` (its plain prices: give it `preferChargingSooner: false`) with scipy.
    init(of problem: SchedulingProblem) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Self.json(problem))
        try input.fileHandleForWriting.close()
        let answer = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(Self.script.path) exited with \(process.terminationStatus): \(message)")
        }
        guard let object = try JSONSerialization.jsonObject(with: answer) as? [String: Any],
            let milp = object["milp"] as? [String: Any], let lp = object["lp"] as? [String: Any],
            let cost = milp["cost"] as? Double, let power = milp["power"] as? [[Double]],
            let relaxedCost = lp["cost"] as? Double
        else {
            throw Failure(description: "unexpected answer: \(String(decoding: answer, as: UTF8.self))")
        }
        self.cost = cost
        self.relaxedCost = relaxedCost
        self.power = power
    }

    /// The problem in the script's input format, documented there.
    private static func json(_ problem: SchedulingProblem) throws -> Data {
        let devices: [[String: Any]] = problem.devices.map { device in
            [
                "kind": device.kind.rawValue, "socAtStart": device.socAtStart, "minSOC": device.minSOC,
                "maxSOC": device.maxSOC.map { $0 as Any } ?? NSNull(), "capacity": device.capacity,
                "targets": device.targets.map { ["slot": $0.slot, "soc": $0.soc] },
                "chargingEfficiency": device.chargingEfficiency, "dischargingEfficiency": device.dischargingEfficiency,
            ]
        }
        let site: Any = problem.siteConnection.map { site -> [String: Any] in
            [
                "maxPower": site.maxPower.map { $0 as Any } ?? NSNull(),
                "minPower": site.minPower.map { $0 as Any } ?? NSNull(),
                "inflexiblePower": site.inflexiblePower,
            ]
        } ?? NSNull()
        let object: [String: Any] = [
            "slotHours": problem.slotHours, "prices": problem.prices, "devices": devices, "siteConnection": site,
        ]
        return try JSONSerialization.data(withJSONObject: object)
    }
}

/// True when `value` is within `relative` of `reference` (relative to at least 1 EUR).
func isClose(_ value: Double, to reference: Double, relative: Double = 1e-6) -> Bool {
    abs(value - reference) <= relative * Swift.max(1, abs(reference))
}
