/// Fits the regression for one horizon on the data known at one moment: builds the candidate
/// features, cross-validates lag sets, feature families, ridge penalties and transforms, and
/// refits the winner on the whole training window.
struct Trainer {
    /// Outcomes in the series' unit; only the first `knownSlots` are read.
    let outcome: [Double]
    let regressors: [String: [Double]]
    let horizon: Int
    /// Slots per day, when a day is a whole number of slots (else no daily features).
    let period: Int?
    /// Slots whose outcome was known at the fit time.
    let knownSlots: Int
    let trainingSlots: Int
    let settings: ForecastSettings

    /// Families of features; the candidate models are unions of them.
    private enum Family: CaseIterable {
        case recent, sameTime, profile, linear, hinge, relative, persistence
    }

    /// Candidate models, from the plain auto-regression the reference describes to the richest
    /// one; cross-validation picks one per fit, so a family that does not help a series is dropped.
    private static let candidates: [[Family]] = [
        [.recent, .sameTime],
        [.recent, .sameTime, .linear],
        [.recent, .sameTime, .profile],
        [.recent, .sameTime, .profile, .persistence],
        [.recent, .sameTime, .profile, .linear, .hinge],
        [.recent, .sameTime, .profile, .linear, .hinge, .relative],
        [.recent, .sameTime, .profile, .linear, .hinge, .relative, .persistence],
        [.profile, .linear, .hinge, .relative],
    ]

    /// Number of recent slots (the latest known and the ones before it) used as lags.
    private static let recentLags = 3
    /// Hinge knots at these quantiles of a regressor's training values.
    private static let knotQuantiles = [1.0 / 6, 2.0 / 6, 3.0 / 6, 4.0 / 6, 5.0 / 6]
    /// A transform is kept only when it lowers the cross-validated error by this share, so that
    /// noise in the validation does not switch it on for series it does not really help.
    private static let transformMargin = 0.005

    /// Training targets: the last `trainingSlots` known slots.
    private var window: Range<Int> { max(0, knownSlots - trainingSlots)..<knownSlots }

    /// The best model that uses at most the regressors `names`, or nil when none can be fitted
    /// (too little data, or every candidate system singular).
    func fit(using names: [String]) -> RegressionFit? {
        let window = self.window
        guard window.count >= settings.minimumTrainingRows else { return nil }
        let names = names.filter { regressors[$0] != nil }.sorted()

        // Knots depend only on the regressors, so every transform shares them.
        var knots: [String: [Double]] = [:]
        for name in names { knots[name] = self.knots(of: regressors[name]!) }
        var best = fit(using: names, knots: knots, transform: nil)
        let windowValues = Array(outcome[window])
        var bestTransformed: RegressionFit?
        for lambda in settings.boxCoxLambdas {
            let transform = ZeroAwareBoxCox(lambda: lambda, fittedTo: windowValues)
            if let candidate = fit(using: names, knots: knots, transform: transform),
               candidate.validationError < (bestTransformed?.validationError ?? .infinity) {
                bestTransformed = candidate
            }
        }
        if let transformed = bestTransformed {
            if let plain = best {
                if transformed.validationError < plain.validationError * (1 - Self.transformMargin) { best = transformed }
            } else {
                best = transformed
            }
        }
        return best
    }

    private func fit(using names: [String], knots: [String: [Double]], transform: ZeroAwareBoxCox?) -> RegressionFit? {
        let window = self.window
        // Lags reach back at most this far before the window; only that stretch is transformed.
        let lookback = horizon + Self.recentLags + (period ?? 0) * (settings.profileDays + 10)
        let first = max(0, window.lowerBound - lookback)
        var working = [Double](repeating: .nan, count: knownSlots)
        if let transform {
            for index in first..<knownSlots { working[index] = transform.forward(outcome[index]) }
        } else {
            for index in first..<knownSlots { working[index] = outcome[index] }
        }
        let source = FeatureSource(outcome: working, knownSlots: knownSlots, regressors: regressors)

        // Candidate columns.
        var families: [Family: [Feature]] = [:]
        let recent = (0..<Self.recentLags).map { horizon + $0 }
        families[.recent] = recent.map(Feature.lag)
        var windowScale = 0.0
        for index in window where working[index].isFinite { windowScale = max(windowScale, abs(working[index])) }
        if let period {
            let firstDay = (horizon + period - 1) / period * period
            let days = settings.profileDays
            var sameTime = [firstDay]
            if 7 * period > firstDay { sameTime.append(7 * period) }
            families[.sameTime] = sameTime.filter { !recent.contains($0) }.map(Feature.lag)
            families[.profile] = [
                .profileMean(firstLag: firstDay, days: days, period: period),
                .profileMax(firstLag: firstDay, days: days, period: period),
            ]
            families[.persistence] = [
                .persistence(horizon: horizon, firstLag: firstDay, days: days, period: period, threshold: 0.05 * windowScale),
            ]
            families[.relative] = names.filter { name in
                // Only for quantities that are never negative (irradiance, wind speed): a ratio
                // to the recent maximum means nothing for temperatures around zero.
                let values = regressors[name]!
                var lowest = Double.infinity, highest = -Double.infinity
                for index in window where index < values.count && values[index].isFinite {
                    lowest = min(lowest, values[index]); highest = max(highest, values[index])
                }
                return lowest >= 0 && highest > 0
            }.map { .relative($0, firstLag: firstDay, days: days, period: period) }
        }
        families[.linear] = names.map(Feature.regressor)
        families[.hinge] = names.flatMap { name in knots[name, default: []].map { Feature.hinge(name, knot: $0) } }

        var features: [Feature] = []
        for family in Family.allCases {
            for feature in families[family] ?? [] where !features.contains(feature) { features.append(feature) }
        }

        // Rows with a known outcome; columns missing in more than a tenth of them are left out
        // (history too short for the weekly lag, a regressor with gaps) rather than costing rows.
        let targets = window.filter { outcome[$0].isFinite }
        guard targets.count >= settings.minimumTrainingRows else { return nil }
        var columns: [[Double]] = []
        var kept: [Feature] = []
        for feature in features {
            let column = source.column(of: feature, for: window)
            let finite = targets.reduce(0) { $0 + (column[$1 - window.lowerBound].isFinite ? 1 : 0) }
            if Double(finite) >= 0.9 * Double(targets.count) {
                columns.append(column)
                kept.append(feature)
            }
        }
        let rows = targets.filter { k in columns.allSatisfy { $0[k - window.lowerBound].isFinite } }
        guard rows.count >= settings.minimumTrainingRows else { return nil }

        let design = Design(rows: rows, offset: window.lowerBound, columns: columns, working: working,
                            outcome: outcome, folds: max(2, settings.folds), clamps: settings.clampsToTrainingRange)
        // Columns constant over the training rows (a regressor that was zero all month) carry no
        // information and would make the system singular.
        let informative = (0..<kept.count).filter { design.isInformative(column: $0) }

        var indexSets: [[Int]] = []
        for candidate in Self.candidates {
            let set = informative.filter { index in candidate.contains { families[$0]?.contains(kept[index]) ?? false } }
            if !set.isEmpty && !indexSets.contains(set) { indexSets.append(set) }
        }
        guard let choice = design.crossValidate(indexSets, penalties: settings.ridgePenalties) else { return nil }
        guard let (intercept, coefficients) = design.solveAll(columns: choice.columns, penalty: choice.penalty) else { return nil }
        let validationError = design.absoluteError(columns: choice.columns, penalty: choice.penalty, transform: transform)
        let used = choice.columns.map { kept[$0] }
        let usedRegressors = Set(used.compactMap(\.regressorName)).sorted()
        return RegressionFit(features: used, coefficients: coefficients, intercept: intercept, transform: transform,
                             lowest: settings.clampsToTrainingRange ? design.lowestOutcome : -.infinity,
                             highest: settings.clampsToTrainingRange ? design.highestOutcome : .infinity,
                             regressors: usedRegressors,
                             penalty: choice.penalty, validationError: validationError)
    }

    /// Hinge knots: distinct quantiles strictly inside the regressor's training range.
    private func knots(of values: [Double]) -> [Double] {
        var sample = window.compactMap { index -> Double? in
            index < values.count && values[index].isFinite ? values[index] : nil
        }
        guard sample.count >= 2 else { return [] }
        sample.sort()
        let lowest = sample.first!, highest = sample.last!
        let tolerance = (highest - lowest) * 1e-6
        var knots: [Double] = []
        for quantile in Self.knotQuantiles {
            let knot = sample[Int((Double(sample.count - 1) * quantile).rounded())]
            if knot > lowest + tolerance && knot < highest - tolerance && knots.allSatisfy({ abs($0 - knot) > tolerance }) {
                knots.append(knot)
            }
        }
        return knots
    }
}
