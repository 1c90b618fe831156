import API
import ArgumentParser
import Site

/// `flexmeasures-bench json`: parse times of request bodies of 1, 2 and 4 MB, so that linear cost shows as
/// time doubling with size: escapes, plain strings, numbers and nesting.
struct JSONBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "json",
        abstract: "Parse times of 1, 2 and 4 MB bodies of escapes, strings and numbers (linear: time doubles with size)."
    )

    @Option(help: "Parses per body.") var repetitions = 5

    func run() throws {
        print("# JSON benchmark: JSONParser.parse on bodies of the largest accepted size and smaller")
        for megabytes in [1, 2, 4] {
            let size = megabytes << 20
            let bodies: [(String, [UInt8])] = [
                ("escapes", Self.stringBody(size: size, unit: Array(#"\n"#.utf8))),
                ("unicode escapes", Self.stringBody(size: size, unit: Array(#"\u00e9"#.utf8))),
                ("plain string", Self.stringBody(size: size, unit: Array("ab".utf8))),
                ("numbers", Self.numbersBody(size: size)),
            ]
            for (name, body) in bodies {
                var seconds: [Double] = []
                for _ in 0..<Swift.max(1, repetitions) {
                    seconds.append(try Stopwatch.seconds { _ = try JSONParser.parse(body) })
                }
                report("json \(megabytes) MB \(name) median", seconds.median * 1000, decimals: 1, unit: "ms")
            }
        }
    }

    static func stringBody(size: Int, unit: [UInt8]) -> [UInt8] {
        var body = Array(#"{"type": ""#.utf8)
        while body.count + unit.count + 2 <= size { body += unit }
        return body + Array(#""}"#.utf8)
    }

    static func numbersBody(size: Int) -> [UInt8] {
        var body = Array(#"{"values": [0.5"#.utf8)
        let unit = Array(", 306.66".utf8)
        while body.count + unit.count + 2 <= size { body += unit }
        return body + Array("]}".utf8)
    }
}
