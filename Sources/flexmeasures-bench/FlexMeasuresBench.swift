import ArgumentParser

/// Benchmarks that print one `name: value` line per figure. Run them in release builds:
/// `swift run -c release flexmeasures-bench store`.
@main
struct FlexMeasuresBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flexmeasures-bench",
        abstract: "Measure the appliance on this machine.",
        subcommands: [StoreBenchmark.self, APIBenchmark.self, SitePlanBenchmark.self, SchedulingBenchmark.self, SolveCase.self, JSONBenchmark.self, AlertsBenchmark.self, ConsoleBenchmark.self, UplinkBenchmark.self]
    )
}
