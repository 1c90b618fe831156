extension Timeseries {
    /// The series at a coarser `resolution`, a whole multiple of the current one; periods count from `start`.
    ///
    /// Each period is the mean of its non-nil values, nil when it has none; a trailing partial period is the
    /// mean of what it holds (so `end` may move later).
    public func downsampled(to resolution: Timespan) throws(ResampleError) -> Timeseries {
        guard self.resolution > .zero, resolution > .zero else { throw .nonPositiveResolution }
        guard resolution.isWholeMultiple(of: self.resolution) else {
            throw .notAMultiple(from: self.resolution, to: resolution)
        }
        let factor = Int(resolution.microseconds / self.resolution.microseconds)
        guard factor > 1 else { return self }
        var output: [Double?] = []
        output.reserveCapacity((values.count + factor - 1) / factor)
        for periodStart in stride(from: 0, to: values.count, by: factor) {
            var sum = 0.0
            var count = 0
            for case let value? in values[periodStart..<min(periodStart + factor, values.count)] {
                sum += value
                count += 1
            }
            output.append(count > 0 ? sum / Double(count) : nil)
        }
        return Timeseries(start: start, resolution: resolution, values: output)
    }

    /// The series at a finer `resolution` that divides the current one: each value repeated, gaps included.
    public func upsampled(to resolution: Timespan) throws(ResampleError) -> Timeseries {
        guard self.resolution > .zero, resolution > .zero else { throw .nonPositiveResolution }
        guard self.resolution.isWholeMultiple(of: resolution) else {
            throw .notAMultiple(from: self.resolution, to: resolution)
        }
        let factor = Int(self.resolution.microseconds / resolution.microseconds)
        guard factor > 1 else { return self }
        var output: [Double?] = []
        output.reserveCapacity(values.count * factor)
        for value in values {
            output.append(contentsOf: repeatElement(value, count: factor))
        }
        return Timeseries(start: start, resolution: resolution, values: output)
    }

    /// The series at `resolution`: downsampled when coarser, upsampled when finer, itself when equal.
    public func resampled(to resolution: Timespan) throws(ResampleError) -> Timeseries {
        if resolution > self.resolution {
            return try downsampled(to: resolution)
        } else if resolution < self.resolution {
            return try upsampled(to: resolution)
        } else {
            guard resolution > .zero else { throw .nonPositiveResolution }
            return self
        }
    }
}
