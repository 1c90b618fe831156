import ArgumentParser
import Beliefs
import Site

/// `--start` and `--duration`: the window a `show` command reads.
struct WindowOptions: ParsableArguments {
    @Option(help: "The start of the window (ISO 8601 with an offset).") var start: String
    @Option(help: "The length of the window (ISO 8601 duration, e.g. P14D).") var duration: String

    func window() throws -> (start: Instant, end: Instant) {
        let from: Instant
        let length: Timespan
        do { from = try Instant.parseISO8601(start) } catch { throw UsageFailure("invalid value for --start: \(error)") }
        do { length = try Timespan.parseISO8601(duration) } catch { throw UsageFailure("invalid value for --duration: \(error)") }
        guard length > .zero else { throw UsageFailure("invalid value for --duration: it must be positive") }
        return (from, from + length)
    }
}

/// `--horizon` values, or the reference's forecasting horizons when none are given.
func parsedHorizons(_ texts: [String]) throws -> [Timespan] {
    guard !texts.isEmpty else { return ForecastingJob.referenceHorizons }
    return try texts.map { text in
        do { return try Timespan.parseISO8601(text) } catch { throw UsageFailure("invalid value for --horizon: \(error)") }
    }
}
