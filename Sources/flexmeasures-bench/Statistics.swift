import Foundation

/// Wall-clock timing and summaries for benchmark figures.
enum Stopwatch {
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func seconds(_ body: () async throws -> Void) async rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try await body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

extension Array where Element == Double {
    func percentile(_ fraction: Double) -> Double {
        guard !isEmpty else { return .nan }
        let sorted = self.sorted()
        let rank = Int((fraction * Double(sorted.count - 1)).rounded())
        return sorted[rank]
    }

    var median: Double { percentile(0.5) }
}

/// Prints one figure as `name: value`.
func report(_ name: String, _ value: Double, decimals: Int = 2, unit: String = "") {
    print("\(name): \(String(format: "%.\(decimals)f", value))\(unit.isEmpty ? "" : " \(unit)")")
}
