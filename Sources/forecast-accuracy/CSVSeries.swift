import Forecasting
import Foundation

/// One data file of `shared/data/forecasting`: `event_start` (UTC, ISO 8601), `value`, and one
/// column per regressor, all on a regular grid.
struct CSVSeries {
    let name: String
    let series: TimeSeries
    let regressors: [Regressor]

    init(contentsOf url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(whereSeparator: \.isNewline).map(String.init)
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        guard header.count >= 2, header[0] == "event_start", header[1] == "value" else {
            throw HarnessError("\(url.lastPathComponent): expected event_start,value,... header")
        }
        var times: [Int64] = []
        var columns = [[Double]](repeating: [], count: header.count - 1)
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == header.count, let time = Self.parseUTC(fields[0]) else {
                throw HarnessError("\(url.lastPathComponent): bad line \(line)")
            }
            times.append(time)
            for c in 1..<fields.count { columns[c - 1].append(Double(fields[c]) ?? .nan) }
        }
        guard times.count >= 2 else { throw HarnessError("\(url.lastPathComponent): too few rows") }
        let resolution = times[1] - times[0]
        for i in 1..<times.count where times[i] - times[i - 1] != resolution {
            throw HarnessError("\(url.lastPathComponent): irregular grid at row \(i)")
        }
        name = url.deletingPathExtension().lastPathComponent
        series = TimeSeries(start: times[0], resolution: resolution, values: columns[0])
        regressors = (2..<header.count).map { Regressor(name: header[$0], values: columns[$0 - 1]) }
    }

    /// Parses `YYYY-MM-DDTHH:MM:SSZ` into seconds since the epoch.
    static func parseUTC<S: StringProtocol>(_ text: S) -> Int64? {
        let digits = text.split(whereSeparator: { "-T:Z".contains($0) }).compactMap { Int64($0) }
        guard digits.count == 6 else { return nil }
        let (year, month, day) = (digits[0], digits[1], digits[2])
        // Days from civil (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return days * 86_400 + digits[3] * 3600 + digits[4] * 60 + digits[5]
    }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
