import Beliefs
import Testing

@Suite struct TimeseriesResamplingTests {
    static func quarterHours(_ values: [Double?], start: Instant = .may1(13, 0)) -> Timeseries {
        Timeseries(start: start, resolution: .minutes(15), values: values)
    }

    // MARK: Downsampling

    static let downsamplings: [([Double?], Timespan, [Double?])] = [
        ([1, 2, 3, 4, 5, 6, 7, 8] as [Double?], Timespan.hours(1), [2.5, 6.5] as [Double?]),
        ([1, 2, 3, 4, 5, 6, 7, 8], .minutes(30), [1.5, 3.5, 5.5, 7.5]),
        ([1, 2, 3, 4, 5, 6, 7, 8], .hours(2), [4.5]),
        ([1, nil, 3, nil], .hours(1), [2]),
        ([nil, nil, nil, nil, 1, 2, 3, 6], .hours(1), [nil, 3]),
        ([nil, nil], .minutes(30), [nil]),
        ([1, 2, 3, 4, 10], .hours(1), [2.5, 10]),
        ([1, 2, 3, 4, 10, nil], .hours(1), [2.5, 10]),
        ([1, 2, 3, 4, nil], .hours(1), [2.5, nil]),
        ([4, 2], .hours(1), [3]),
        ([-1, 1, 0, 0], .hours(1), [0]),
        ([], .hours(1), []),
    ]

    @Test(arguments: downsamplings)
    func downsamplingAveragesTheValuesInEachPeriod(
        values: [Double?], resolution: Timespan, expected: [Double?]
    ) throws {
        let downsampled = try Self.quarterHours(values).downsampled(to: resolution)
        #expect(downsampled.values == expected)
        #expect(downsampled.resolution == resolution)
        #expect(downsampled.start == .may1(13, 0))
    }

    @Test func downsampledPeriodsCountFromTheSeriesStart() throws {
        let series = Self.quarterHours([1, 2, 3, 4, 5, 6], start: .may1(13, 15))
        let hourly = try series.downsampled(to: .hours(1))
        #expect(hourly.events == [.init(start: .may1(13, 15), value: 2.5), .init(start: .may1(14, 15), value: 5.5)])
    }

    @Test func trailingPartialPeriodExtendsTheEnd() throws {
        let series = Self.quarterHours([1, 2, 3, 4, 5])
        #expect(series.end == .may1(14, 15))
        #expect(try series.downsampled(to: .hours(1)).end == .may1(15, 0))
    }

    @Test func downsamplingToTheSameResolutionChangesNothing() throws {
        let series = Self.quarterHours([1, nil, 3])
        #expect(try series.downsampled(to: .minutes(15)) == series)
    }

    @Test(arguments: [Timespan.minutes(20), .minutes(25), .minutes(10), .minutes(5), .hours(1) + .seconds(1)])
    func downsamplingToANonMultipleIsRejected(resolution: Timespan) {
        #expect(throws: ResampleError.notAMultiple(from: .minutes(15), to: resolution)) {
            try Self.quarterHours([1, 2, 3, 4]).downsampled(to: resolution)
        }
    }

    // MARK: Upsampling

    @Test func upsamplingRepeatsEachValueIncludingGaps() throws {
        let hourly = Timeseries(start: .may1(13, 0), resolution: .hours(1), values: [1, nil, 3])
        let upsampled = try hourly.upsampled(to: .minutes(15))
        #expect(upsampled.values == [1, 1, 1, 1, nil, nil, nil, nil, 3, 3, 3, 3])
        #expect(upsampled.resolution == .minutes(15))
        #expect(upsampled.start == hourly.start)
        #expect(upsampled.end == hourly.end)
    }

    @Test(arguments: [Timespan.minutes(25), .minutes(45), .hours(2), .minutes(7)])
    func upsamplingToANonDivisorIsRejected(resolution: Timespan) {
        let hourly = Timeseries(start: .may1(13, 0), resolution: .hours(1), values: [1, 2])
        #expect(throws: ResampleError.notAMultiple(from: .hours(1), to: resolution)) {
            try hourly.upsampled(to: resolution)
        }
    }

    @Test func upsamplingToTheSameResolutionChangesNothing() throws {
        let series = Self.quarterHours([1, nil, 3])
        #expect(try series.upsampled(to: .minutes(15)) == series)
    }

    @Test func downsamplingUndoesUpsampling() throws {
        let hourly = Timeseries(start: .may1(13, 0), resolution: .hours(1), values: [1.5, nil, -3, 0])
        #expect(try hourly.upsampled(to: .minutes(5)).downsampled(to: .hours(1)) == hourly)
    }

    // MARK: Choosing a direction

    static let resamplings: [(Timespan, [Double?])] = [
        (Timespan.hours(1), [2.5, 6.5] as [Double?]),
        (.minutes(15), [1, 2, 3, 4, 5, 6, 7, 8]),
        (.minutes(5), [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8]),
    ]

    @Test(arguments: resamplings)
    func resamplingPicksTheDirectionFromTheResolution(resolution: Timespan, expected: [Double?]) throws {
        let resampled = try Self.quarterHours([1, 2, 3, 4, 5, 6, 7, 8]).resampled(to: resolution)
        #expect(resampled.values == expected)
        #expect(resampled.resolution == resolution)
    }

    @Test(arguments: [Timespan.minutes(20), .minutes(10)])
    func resamplingToAnUnrelatedResolutionIsRejected(resolution: Timespan) {
        #expect(throws: ResampleError.notAMultiple(from: .minutes(15), to: resolution)) {
            try Self.quarterHours([1, 2]).resampled(to: resolution)
        }
    }

    @Test(arguments: [Timespan.zero, -.minutes(15)])
    func nonPositiveTargetResolutionIsRejected(resolution: Timespan) {
        let series = Self.quarterHours([1, 2])
        #expect(throws: ResampleError.nonPositiveResolution) { try series.downsampled(to: resolution) }
        #expect(throws: ResampleError.nonPositiveResolution) { try series.upsampled(to: resolution) }
        #expect(throws: ResampleError.nonPositiveResolution) { try series.resampled(to: resolution) }
    }

    @Test func seriesWithoutAPositiveResolutionCannotBeResampled() {
        let instantaneous = Timeseries(start: .may1(13, 0), resolution: .zero, values: [1, 2])
        #expect(throws: ResampleError.nonPositiveResolution) { try instantaneous.downsampled(to: .hours(1)) }
        #expect(throws: ResampleError.nonPositiveResolution) { try instantaneous.resampled(to: .zero) }
    }
}
