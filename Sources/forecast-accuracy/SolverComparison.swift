import CLAPACK
import Foundation
import TestSupport

/// LAPACK's Cholesky (dpotrf + dpotrs, Debian's reference LAPACK) against a hand-written
/// Cholesky on normal-equation systems of the sizes the forecaster solves: speed, and accuracy
/// against a known solution on well and badly conditioned systems.
enum SolverComparison {
    static func run() {
        print("")
        print("solver: LAPACK dpotrf/dpotrs vs hand-written Cholesky on ridge normal equations")
        var generator = SeededGenerator(seed: 7)
        for (size, condition) in [(12, "well"), (30, "well"), (40, "well"), (30, "ill"), (40, "ill")] {
            // Design with correlated columns (as lags are), or nearly collinear ones for "ill".
            let rows = 2688
            var design = [Double](repeating: 0, count: rows * size)
            for r in 0..<rows {
                let common = generator.gaussian()
                for c in 0..<size {
                    let mixing = condition == "ill" ? 0.999999 : 0.8
                    design[r * size + c] = mixing * common + (1 - mixing) * generator.gaussian()
                }
            }
            var gram = [Double](repeating: 0, count: size * size)
            for r in 0..<rows {
                for a in 0..<size { for b in 0..<size { gram[a * size + b] += design[r * size + a] * design[r * size + b] } }
            }
            for a in 0..<size { gram[a * size + a] *= 1 + 1e-8 }
            let truth = (0..<size).map { _ in generator.gaussian() }
            var rhs = [Double](repeating: 0, count: size)
            for a in 0..<size { for b in 0..<size { rhs[a] += gram[a * size + b] * truth[b] } }

            let repeats = 20_000
            var lapackSolution: [Double] = []
            var start = Timing.now()
            for _ in 0..<repeats { lapackSolution = lapack(gram, n: size, rhs: rhs) }
            let lapackTime = (Timing.now() - start) / Double(repeats)
            var handSolution: [Double] = []
            start = Timing.now()
            for _ in 0..<repeats { handSolution = handWritten(gram, n: size, rhs: rhs) }
            let handTime = (Timing.now() - start) / Double(repeats)
            print(String(format: "  n=%2d %@-conditioned: LAPACK %.2f us, error %.1e | hand-written %.2f us, error %.1e",
                         size, condition, lapackTime * 1e6, relativeError(lapackSolution, truth),
                         handTime * 1e6, relativeError(handSolution, truth)))
        }
    }

    static func relativeError(_ x: [Double], _ truth: [Double]) -> Double {
        let difference = zip(x, truth).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let size = truth.reduce(0) { $0 + $1 * $1 }
        return (difference / size).squareRoot()
    }

    static func lapack(_ matrix: [Double], n: Int, rhs: [Double]) -> [Double] {
        var factor = matrix, solution = rhs
        var order = Int32(n), leading = Int32(n), one = Int32(1), info = Int32(0)
        var lower = CChar(UInt8(ascii: "L"))
        dpotrf_(&lower, &order, &factor, &leading, &info, 1)
        dpotrs_(&lower, &order, &one, &factor, &leading, &solution, &leading, &info, 1)
        return solution
    }

    /// Textbook Cholesky–Banachiewicz, then forward and back substitution.
    static func handWritten(_ matrix: [Double], n: Int, rhs: [Double]) -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var sum = matrix[i * n + j]
                for k in 0..<j { sum -= l[i * n + k] * l[j * n + k] }
                if i == j { l[i * n + i] = sum.squareRoot() } else { l[i * n + j] = sum / l[j * n + j] }
            }
        }
        var y = rhs
        for i in 0..<n {
            for k in 0..<i { y[i] -= l[i * n + k] * y[k] }
            y[i] /= l[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<n { y[i] -= l[k * n + i] * y[k] }
            y[i] /= l[i * n + i]
        }
        return y
    }
}

