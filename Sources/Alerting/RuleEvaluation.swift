import Beliefs

/// The verdicts of the data rules on a sensor's values, one per value, in event order. Pure: the values
/// (and what is expected of them) in, verdicts out; the state machine (`AlertStatus`) turns them into
/// states and notices.
public enum RuleEvaluation {
    /// Above (below) the trigger breaches; back below (above) the recovery value clears; in between holds.
    public static func threshold(_ threshold: RuleCondition.Threshold, _ values: [Observation], resolution: Timespan) -> [TimedVerdict] {
        values.map { timed(verdict(threshold, on: $0.value), $0, resolution) }
    }

    /// The verdict of `threshold` on one value.
    public static func verdict(_ threshold: RuleCondition.Threshold, on x: Double) -> Verdict {
        if threshold.above {
            return x > threshold.trigger ? .breaching : (x <= threshold.recovery ? .clear : .hold)
        }
        return x < threshold.trigger ? .breaching : (x >= threshold.recovery ? .clear : .hold)
    }

    /// Consumption above `level` breaches inside the quiet window and clears outside it (each night judged
    /// on its own); without a window, any value above `level` breaches, so that with the rule's `for` the
    /// alert says "never dropped to `level` for that long". `utcOffset` gives the sensor's local offset.
    public static func idleUse(
        level: Double, window: QuietWindow?, _ values: [Observation], resolution: Timespan,
        utcOffset: (Instant) -> Timespan
    ) -> [TimedVerdict] {
        values.map { observation in
            var inside = true
            if let window {
                let local = observation.eventStart + utcOffset(observation.eventStart)
                let day = Timespan.days(1).microseconds
                let remainder = local.microsecondsSinceEpoch % day
                let minute = Int((remainder < 0 ? remainder + day : remainder) / 60_000_000)
                inside = window.contains(minuteOfDay: minute)
            }
            return timed(inside && observation.value > level ? .breaching : .clear, observation, resolution)
        }
    }

    /// Flat line: breaching once the run of equal values that an event belongs to has lasted `duration`
    /// (from the start of the run's first event to the end of this one). `runs` are the runs' starts per
    /// value, as `ValueRun.advance` gives them.
    public static func flatLine(duration: Timespan, _ values: [Observation], runStarts: [Instant], resolution: Timespan) -> [TimedVerdict] {
        zip(values, runStarts).map { observation, since in
            let end = observation.eventStart + resolution
            return timed(end - since >= duration ? .breaching : .clear, observation, resolution)
        }
    }

    /// Outliers: a value breaches when it is more than `floor` from its expected value (the absolute floor,
    /// so that small deviations, as at night near zero, never alarm) and more than `factor` robust
    /// deviations away, the robust deviation being 1.4826 times the median absolute deviation of the
    /// batch's residuals (with one value, only the floor judges). Values without an expected one hold.
    public static func outlier(
        _ values: [Observation], expected: [Instant: Double], factor: Double, floor: Double, resolution: Timespan
    ) -> [TimedVerdict] {
        outlier(OutlierBatch(values, expected: expected), factor: factor, floor: floor, resolution: resolution)
    }

    /// `outlier` on a batch whose expectations and robust deviation are worked out once for all the
    /// outlier rules of a sensor with the same baseline.
    public static func outlier(_ batch: OutlierBatch, factor: Double, floor: Double, resolution: Timespan) -> [TimedVerdict] {
        zip(batch.values, batch.expectations).map { observation, expectation in
            guard let expectation else { return timed(.hold, observation, resolution) }
            let deviation = abs(observation.value - expectation)
            let far = deviation > floor && deviation > factor * batch.scale
            return timed(far ? .breaching : .clear, observation, resolution)
        }
    }

    /// A batch of values with what each was expected to be (nil: nothing to compare with) and the robust
    /// deviation of their residuals (1.4826 x the median absolute deviation; 0 below three residuals).
    public struct OutlierBatch: Sendable {
        public let values: [Observation]
        public let expectations: [Double?]
        public let scale: Double

        public init(_ values: [Observation], expected: [Instant: Double]) {
            self.init(values, expectations: values.map { expected[$0.eventStart] })
        }

        /// `expectations[i]` is what `values[i]` was expected to be.
        public init(_ values: [Observation], expectations: [Double?]) {
            precondition(values.count == expectations.count, "one expectation per value")
            self.values = values
            self.expectations = expectations
            let residuals = zip(values, expectations).compactMap { observation, expectation in expectation.map { observation.value - $0 } }
            let center = RuleEvaluation.median(residuals)
            scale = residuals.count < 3 ? 0 : 1.4826 * RuleEvaluation.median(residuals.map { abs($0 - center) })
        }
    }

    /// Silence of a sensor or a source: breaching once nothing has been received for `length`, counted
    /// from the last receipt or, when later (or nothing was ever received), from `watchingSince` (the
    /// daemon's start: its grace period, so that a restart after downtime raises no false gaps at once);
    /// clear while the last receipt is recent; holding in the grace period otherwise, so that an alert
    /// that fired before a restart neither resolves nor fires again because of the restart.
    public static func silence(lastReceived: Instant?, watchingSince: Instant, now: Instant, length: Timespan) -> TimedVerdict {
        let since = max(lastReceived ?? watchingSince, watchingSince)
        if now - since >= length { return .at(now, .breaching) }
        if let lastReceived, now - lastReceived < length { return .at(now, .clear) }
        return .at(now, .hold)
    }

    /// A stuck uplink: breaching while the oldest change waiting for the uplink has waited (`backlogAge`, zero
    /// without a backlog or without an uplink) longer than `limit`, clear otherwise; the value is that wait in
    /// seconds. After a start (`watchingSince`) the uplink gets a whole `limit` to catch up before it counts
    /// as stuck, holding meanwhile, so that downtime alone neither fires the alert nor resolves a firing one.
    public static func uplinkBacklog(backlogAge: Timespan, watchingSince: Instant, now: Instant, limit: Timespan) -> TimedVerdict {
        let seconds = Double(backlogAge.microseconds) / 1_000_000
        guard backlogAge > limit else { return .at(now, .clear, value: seconds) }
        return .at(now, now - watchingSince > limit ? .breaching : .hold, value: seconds)
    }

    /// `verdict` on the event of `observation`, quoting its value.
    public static func timed(_ verdict: Verdict, _ observation: Observation, _ resolution: Timespan) -> TimedVerdict {
        TimedVerdict(verdict, start: observation.eventStart, end: observation.eventStart + resolution, value: observation.value)
    }

    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let middle = values.count / 2
        guard !values.contains(where: \.isNaN) else {
            let sorted = values.sorted()
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }
        // A selection rather than a sort (ingest's hot path: an outlier rule takes two medians per post); the
        // order statistics are the sorted array's.
        var buffer = values
        let upper = buffer.withUnsafeMutableBufferPointer { select(middle, in: $0) }
        guard values.count % 2 == 0 else { return upper }
        return (buffer[..<middle].max()! + upper) / 2
    }

    /// The `k`-th smallest of `values` (no NaN), leaving every smaller-or-equal value before index `k`.
    private static func select(_ k: Int, in values: UnsafeMutableBufferPointer<Double>) -> Double {
        var low = 0, high = values.count - 1
        while low < high {
            let mid = low + (high - low) / 2
            // The median of three as pivot, moved to `high`.
            if values[mid] < values[low] { values.swapAt(mid, low) }
            if values[high] < values[low] { values.swapAt(high, low) }
            if values[mid] < values[high] { values.swapAt(mid, high) }
            let pivot = values[high]
            var store = low
            for index in low..<high where values[index] < pivot {
                values.swapAt(index, store)
                store += 1
            }
            values.swapAt(store, high)
            if store == k { return values[k] }
            if store < k { low = store + 1 } else { high = store - 1 }
        }
        return values[k]
    }
}

/// The run of equal values a sensor is in: its value, the start of its first event, the newest event seen.
/// Kept per sensor across batches so that a flat line longer than one post is seen.
public struct ValueRun: Sendable, Hashable {
    public var value: Double
    public var since: Instant
    public var lastEventStart: Instant

    public init(value: Double, since: Instant, lastEventStart: Instant) {
        self.value = value
        self.since = since
        self.lastEventStart = lastEventStart
    }

    /// Extends `run` with `values` (in event order, all after the run's newest event): the run start of each
    /// value and the run after them.
    public static func advance(_ run: ValueRun?, with values: [Observation]) -> (starts: [Instant], run: ValueRun?) {
        var current = run
        var starts: [Instant] = []
        starts.reserveCapacity(values.count)
        for observation in values {
            if var extended = current, extended.value == observation.value {
                extended.lastEventStart = observation.eventStart
                current = extended
            } else {
                current = ValueRun(value: observation.value, since: observation.eventStart, lastEventStart: observation.eventStart)
            }
            starts.append(current!.since)
        }
        return (starts, current)
    }
}
