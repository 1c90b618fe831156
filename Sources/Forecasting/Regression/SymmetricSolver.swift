import CLAPACK

/// Solves the small symmetric positive definite systems of ridge regression with LAPACK's
/// Cholesky routines (dpotrf/dpotrs from Debian's reference LAPACK).
enum SymmetricSolver {
    /// Smallest accepted ratio of a squared Cholesky pivot to its diagonal entry. Below it a
    /// column is, to working precision, a combination of the others: the coefficients would be
    /// noise, so the system counts as singular (dpotrf alone only catches exact breakdowns).
    static let pivotTolerance = 1e-10

    /// Solves `matrix * x = rhs` for the `n`-by-`n` symmetric matrix (column-major, both
    /// triangles or the lower one filled); nil when it is not numerically positive definite.
    static func solve(_ matrix: [Double], n: Int, rhs: [Double]) -> [Double]? {
        precondition(matrix.count == n * n && rhs.count == n)
        guard n > 0 else { return [] }
        var factor = matrix
        var solution = rhs
        var order = Int32(n)
        var leading = Int32(n)
        var one = Int32(1)
        var info = Int32(0)
        var lower = CChar(UInt8(ascii: "L"))
        dpotrf_(&lower, &order, &factor, &leading, &info, 1)
        guard info == 0 else { return nil }
        for j in 0..<n {
            let pivot = factor[j * n + j]
            guard pivot * pivot >= pivotTolerance * matrix[j * n + j] else { return nil }
        }
        dpotrs_(&lower, &order, &one, &factor, &leading, &solution, &leading, &info, 1)
        guard info == 0, solution.allSatisfy(\.isFinite) else { return nil }
        return solution
    }
}
