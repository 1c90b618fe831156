/// The training rows of one fit as centred cross-product (Gram) matrices, one per
/// cross-validation fold. Every candidate model and penalty is then fitted and scored from these
/// small matrices, without another pass over the rows.
struct Design {
    /// Target slots of the training rows, in time order.
    let rows: [Int]
    /// Number of features; the Gram matrices are `(count + 2)` square: intercept, features, target.
    let count: Int
    /// Contiguous blocks of `rows` held out in turn.
    let folds: [Range<Int>]
    let lowestOutcome: Double
    let highestOutcome: Double
    /// Whether validation predictions are clamped to the outcome range, as forecasts will be.
    let clamps: Bool

    private let width: Int
    /// Row-major centred rows: 1, x - mean(x) ..., w - mean(w).
    private let centred: [Double]
    private let featureMeans: [Double]
    private let targetMean: Double
    private let outcomes: [Double]
    private let total: [Double]
    private let foldGrams: [[Double]]
    private let trainingGrams: [[Double]]
    private let uncentredSquares: [Double]

    /// - Parameters:
    ///   - rows: target slots of the rows, every feature finite there.
    ///   - offset: slot of the first entry of every column.
    ///   - columns: feature values by slot - offset.
    ///   - working: outcomes in the model's working scale, by slot.
    ///   - outcome: outcomes in the series' unit, by slot.
    ///   - clamps: whether forecasts are clamped to the training outcomes' range.
    init(rows: [Int], offset: Int, columns: [[Double]], working: [Double], outcome: [Double], folds foldCount: Int, clamps: Bool) {
        self.rows = rows
        self.clamps = clamps
        count = columns.count
        width = count + 2
        let n = rows.count
        outcomes = rows.map { outcome[$0] }
        lowestOutcome = outcomes.min() ?? 0
        highestOutcome = outcomes.max() ?? 0

        // Centring keeps the normal equations well conditioned (pressure near 1000 hPa would
        // otherwise be almost collinear with the intercept); the fitted model is the same.
        var means = [Double](repeating: 0, count: count)
        var squares = [Double](repeating: 0, count: count)
        for (j, column) in columns.enumerated() {
            var sum = 0.0, square = 0.0
            for k in rows {
                let value = column[k - offset]
                sum += value; square += value * value
            }
            means[j] = sum / Double(n)
            squares[j] = square
        }
        featureMeans = means
        uncentredSquares = squares
        targetMean = rows.reduce(0) { $0 + working[$1] } / Double(n)

        var centred = [Double](repeating: 0, count: n * width)
        for (r, k) in rows.enumerated() {
            centred[r * width] = 1
            centred[r * width + width - 1] = working[k] - targetMean
        }
        for (j, column) in columns.enumerated() {
            let mean = means[j]
            for (r, k) in rows.enumerated() { centred[r * width + j + 1] = column[k - offset] - mean }
        }
        self.centred = centred

        let blocks = max(2, min(foldCount, n / 2))
        folds = (0..<blocks).map { ($0 * n / blocks)..<(($0 + 1) * n / blocks) }
        let width = width
        foldGrams = folds.map { fold in
            var gram = [Double](repeating: 0, count: width * width)
            centred.withUnsafeBufferPointer { z in
                gram.withUnsafeMutableBufferPointer { g in
                    for r in fold {
                        let row = r * width
                        for a in 0..<width {
                            let za = z[row + a]
                            if za == 0 { continue }
                            let line = a * width
                            // Lower triangle of a rank-one update; the contiguous inner loop vectorises.
                            for b in 0...a { g[line + b] += za * z[row + b] }
                        }
                    }
                }
            }
            for a in 0..<width { for b in 0..<a { gram[b * width + a] = gram[a * width + b] } }
            return gram
        }
        var total = [Double](repeating: 0, count: width * width)
        for gram in foldGrams { for i in 0..<total.count { total[i] += gram[i] } }
        self.total = total
        trainingGrams = foldGrams.map { gram in zip(total, gram).map { $0 - $1 } }
    }

    /// Whether feature `j` varies over the training rows (relative to its size).
    func isInformative(column j: Int) -> Bool {
        let spread = total[(j + 1) * width + j + 1]
        return spread > 0 && spread > 1e-12 * uncentredSquares[j]
    }

    /// The candidate (features, penalty) with the least squared cross-validation error, or nil
    /// when every candidate system is singular.
    func crossValidate(_ candidates: [[Int]], penalties: [Double]) -> (columns: [Int], penalty: Double)? {
        var best: (columns: [Int], penalty: Double, error: Double)?
        for columns in candidates {
            let indices = [0] + columns.map { $0 + 1 }
            penaltyLoop: for penalty in penalties {
                var error = 0.0
                for (fold, held) in zip(trainingGrams, foldGrams) {
                    guard let beta = solve(fold, indices: indices, penalty: penalty) else { continue penaltyLoop }
                    error += squaredError(of: beta, indices: indices, on: held)
                }
                if error.isFinite && error < (best?.error ?? .infinity) { best = (columns, penalty, error) }
            }
        }
        return best.map { ($0.columns, $0.penalty) }
    }

    /// Fits on all rows; returns the intercept and coefficients on the raw (uncentred) features.
    func solveAll(columns: [Int], penalty: Double) -> (intercept: Double, coefficients: [Double])? {
        let indices = [0] + columns.map { $0 + 1 }
        guard let beta = solve(total, indices: indices, penalty: penalty) else { return nil }
        let coefficients = Array(beta.dropFirst())
        var intercept = targetMean + beta[0]
        for (coefficient, j) in zip(coefficients, columns) { intercept -= coefficient * featureMeans[j] }
        return (intercept, coefficients)
    }

    /// Cross-validated mean absolute error in the series' unit: the measure transforms are
    /// compared by, since a transform changes what "squared error" means.
    func absoluteError(columns: [Int], penalty: Double, transform: ZeroAwareBoxCox?) -> Double {
        let indices = [0] + columns.map { $0 + 1 }
        var error = 0.0
        for (fold, held) in zip(trainingGrams, folds) {
            guard let beta = solve(fold, indices: indices, penalty: penalty) else { return .infinity }
            for r in held {
                var working = targetMean
                for (coefficient, index) in zip(beta, indices) { working += coefficient * centred[r * width + index] }
                let raw = transform?.inverse(working) ?? working
                let value = clamps ? min(max(raw, lowestOutcome), highestOutcome) : raw
                error += abs(value - outcomes[r])
            }
        }
        return error / Double(rows.count)
    }

    /// Ridge solution on the sub-matrix `indices` of `gram`: the penalty scales each feature's
    /// own spread, so it means the same for watts and degrees; the intercept is not penalised.
    private func solve(_ gram: [Double], indices: [Int], penalty: Double) -> [Double]? {
        let n = indices.count
        let target = width - 1
        var matrix = [Double](repeating: 0, count: n * n)
        var rhs = [Double](repeating: 0, count: n)
        for (a, ia) in indices.enumerated() {
            for (b, ib) in indices.enumerated() { matrix[a * n + b] = gram[ia * width + ib] }
            if ia != 0 { matrix[a * n + a] += penalty * gram[ia * width + ia] }
            rhs[a] = gram[ia * width + target]
        }
        return SymmetricSolver.solve(matrix, n: n, rhs: rhs)
    }

    private func squaredError(of beta: [Double], indices: [Int], on gram: [Double]) -> Double {
        let target = width - 1
        var error = gram[target * width + target]
        for (a, ia) in indices.enumerated() {
            error -= 2 * beta[a] * gram[ia * width + target]
            var inner = 0.0
            for (b, ib) in indices.enumerated() { inner += gram[ia * width + ib] * beta[b] }
            error += beta[a] * inner
        }
        return error
    }
}
