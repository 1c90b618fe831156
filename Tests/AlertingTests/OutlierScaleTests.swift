import Alerting
import Beliefs
import Testing

/// The robust deviation of an outlier batch, taken by selection rather than by sorting, is the sorted
/// arrays' medians exactly.
struct OutlierScaleTests {
    static func sortedMedian(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static let residualSets: [[Double]] = {
        var generator = SystemRandomNumberGenerator()
        var sets: [[Double]] = [
            [1, 2, 3], [3, 1, 2, 4], [0, 0, 0, 0], [5, 5, 5, 1, 5, 5], [-0.0, 0, -0.0, 1], [2, -7.5, 2, 2, 9, -7.5, 0.25],
            Array(repeating: 0.1, count: 96), (0..<96).map { Double($0 % 7) }, (0..<95).map { -Double($0) },
        ]
        for count in [4, 5, 96, 97] {
            sets.append((0..<count).map { _ in (Double.random(in: -10...10, using: &generator) * 4).rounded() / 4 })
        }
        return sets
    }()

    @Test(arguments: residualSets)
    func scaleIsThatOfTheSortedMedians(residuals: [Double]) {
        let values = series(residuals)
        let batch = RuleEvaluation.OutlierBatch(values, expectations: Array(repeating: 0, count: values.count))
        let center = Self.sortedMedian(residuals)
        let expected = residuals.count < 3 ? 0 : 1.4826 * Self.sortedMedian(residuals.map { abs($0 - center) })
        #expect(batch.scale == expected)
    }
}
