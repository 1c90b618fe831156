/// The data features are read from: the outcome in the model's working scale and the regressors
/// by name. Outcomes from slot `knownSlots` on read as missing, so nothing a feature computes can
/// depend on an outcome that was not known when the forecast was made.
struct FeatureSource {
    private let outcome: [Double]
    /// Applied on every read when set; training passes outcomes already transformed instead,
    /// since it reads each value many times.
    private let transform: ZeroAwareBoxCox?
    let knownSlots: Int
    let regressors: [String: [Double]]

    /// Reads `outcome` as it is, up to `knownSlots`.
    init(outcome: [Double], knownSlots: Int, regressors: [String: [Double]]) {
        self.outcome = outcome
        self.transform = nil
        self.knownSlots = min(knownSlots, outcome.count)
        self.regressors = regressors
    }

    /// Reads `outcome` through `transform`, up to `knownSlots`.
    init(outcome: [Double], transformedBy transform: ZeroAwareBoxCox?, knownSlots: Int, regressors: [String: [Double]]) {
        self.outcome = outcome
        self.transform = transform
        self.knownSlots = min(knownSlots, outcome.count)
        self.regressors = regressors
    }

    /// The same data as known at an earlier (or equal) moment.
    func known(upTo slots: Int) -> FeatureSource {
        FeatureSource(outcome: outcome, transformedBy: transform, knownSlots: min(slots, knownSlots), regressors: regressors)
    }

    @inline(__always)
    func outcome(at index: Int) -> Double {
        guard index >= 0 && index < knownSlots else { return .nan }
        let value = outcome[index]
        return transform?.forward(value) ?? value
    }

    @inline(__always)
    func regressor(_ name: String, at index: Int) -> Double {
        guard let values = regressors[name], index >= 0, index < values.count else { return .nan }
        return values[index]
    }

    /// Value of `feature` for target slot `k`; `.nan` when an input is missing.
    func value(of feature: Feature, at k: Int) -> Double {
        switch feature {
        case .lag(let lag):
            return outcome(at: k - lag)
        case .profileMean(let firstLag, let days, let period):
            var sum = 0.0
            var count = 0
            for day in 0..<days {
                let value = outcome(at: k - firstLag - day * period)
                if value.isFinite { sum += value; count += 1 }
            }
            return count > 0 ? sum / Double(count) : .nan
        case .profileMax(let firstLag, let days, let period):
            return profileMax(at: k, firstLag: firstLag, days: days, period: period)
        case .regressor(let name):
            return regressor(name, at: k)
        case .hinge(let name, let knot):
            return Self.hinge(regressors[name] ?? [], at: k, knot: knot)
        case .relative(let name, let firstLag, let days, let period):
            return relative(regressors[name] ?? [], at: k, firstLag: firstLag, days: days, period: period)
        case .persistence(let horizon, let firstLag, let days, let period, let threshold):
            let level = profileMax(at: k, firstLag: firstLag, days: days, period: period)
            guard level.isFinite else { return .nan }
            // The latest slot known at the belief time with a meaningful share; a day back at most,
            // so a night of zeros carries the evening's share instead of an undefined one.
            let latest = k - horizon
            for index in stride(from: latest, to: latest - period, by: -1) {
                if let share = share(at: index, days: days, period: period, threshold: threshold) {
                    return level * share
                }
            }
            return level
        }
    }

    /// Values of `feature` for the consecutive target slots `slots`; the same numbers as
    /// `value(of:at:)`, computed in one pass where a feature would otherwise rescan history.
    func column(of feature: Feature, for slots: Range<Int>) -> [Double] {
        // Regressor features look their array up once, not once per row.
        switch feature {
        case .regressor(let name):
            let values = regressors[name] ?? []
            return slots.map { $0 >= 0 && $0 < values.count ? values[$0] : .nan }
        case .hinge(let name, let knot):
            let values = regressors[name] ?? []
            return slots.map { Self.hinge(values, at: $0, knot: knot) }
        case .relative(let name, let firstLag, let days, let period):
            let values = regressors[name] ?? []
            return slots.map { relative(values, at: $0, firstLag: firstLag, days: days, period: period) }
        default:
            break
        }
        guard case .persistence(let horizon, let firstLag, let days, let period, let threshold) = feature,
              !slots.isEmpty else {
            return slots.map { value(of: feature, at: $0) }
        }
        // Shares of every slot the rows can look back to, then carried forward at most a day.
        let first = slots.lowerBound - horizon - period + 1
        let last = slots.upperBound - 1 - horizon
        var latestShare: (index: Int, share: Double)?
        var carried = [Double]()
        carried.reserveCapacity(last - first + 1)
        for index in first...last {
            if let share = share(at: index, days: days, period: period, threshold: threshold) {
                latestShare = (index, share)
            }
            if let latestShare, index - latestShare.index < period {
                carried.append(latestShare.share)
            } else {
                carried.append(.nan)
            }
        }
        return slots.map { k in
            let level = profileMax(at: k, firstLag: firstLag, days: days, period: period)
            guard level.isFinite else { return .nan }
            let share = carried[k - horizon - first]
            return share.isFinite ? level * share : level
        }
    }

    @inline(__always)
    private static func hinge(_ values: [Double], at k: Int, knot: Double) -> Double {
        guard k >= 0 && k < values.count else { return .nan }
        let value = values[k]
        return value.isFinite ? max(0, value - knot) : .nan
    }

    @inline(__always)
    private func relative(_ values: [Double], at k: Int, firstLag: Int, days: Int, period: Int) -> Double {
        guard k >= 0 && k < values.count, values[k].isFinite else { return .nan }
        let level = profileMax(at: k, firstLag: firstLag, days: days, period: period)
        guard level.isFinite else { return .nan }
        var reference = -Double.infinity
        for day in 0...days {
            let index = k - day * period
            if index >= 0 && index < values.count && values[index].isFinite { reference = max(reference, values[index]) }
        }
        return reference > 0 ? level * values[k] / reference : 0
    }

    @inline(__always)
    private func profileMax(at k: Int, firstLag: Int, days: Int, period: Int) -> Double {
        var best = -Double.infinity
        for day in 0..<days {
            let value = outcome(at: k - firstLag - day * period)
            if value.isFinite { best = max(best, value) }
        }
        return best.isFinite ? best : .nan
    }

    /// The outcome at `index` as a share of its maximum at that time on the previous days,
    /// clipped to [0, 1.5]; nil where that maximum is too small to divide by.
    @inline(__always)
    private func share(at index: Int, days: Int, period: Int, threshold: Double) -> Double? {
        let value = outcome(at: index)
        guard value.isFinite else { return nil }
        let level = profileMax(at: index, firstLag: period, days: days, period: period)
        guard level.isFinite, level > threshold else { return nil }
        return min(max(value / level, 0), 1.5)
    }
}
