import Beliefs
import Foundation
import Hummingbird
import Registry

/// The window of a chart as a page's form gives it: whole UTC days `start` to `end` (inclusive) and a
/// resolution in minutes; a week up to tomorrow at the asset's resolution when not given or not valid.
struct ChartWindow {
    let start: Instant
    let end: Instant
    let resolution: Timespan

    /// The longest window one chart shows: a year and a day.
    static let longestDays: Int64 = 367

    init(query: Parameters, asset: Asset, now: Instant) {
        self.init(query: query, eventResolution: asset.fields.eventResolution, now: now)
    }

    /// `defaultEnd` days after today (the window ends at that midnight) and `defaultDays` long when the
    /// query does not say.
    init(query: Parameters, eventResolution: Timespan, now: Instant, defaultEnd: Int64 = 2, defaultDays: Int64 = 8) {
        let today = now.floored(to: .days(1))
        var end = query["end"].flatMap { Self.day(String($0)) }.map { $0 + .days(1) } ?? today + .days(defaultEnd)
        var start = query["start"].flatMap { Self.day(String($0)) } ?? end - .days(defaultDays)
        if end <= start { end = start + .days(1) }
        if end - start > .days(Self.longestDays) { start = end - .days(Self.longestDays) }
        self.start = start
        self.end = end
        let minutes = query["resolution"].flatMap { Int64($0) } ?? 0
        let asked = Timespan.minutes(min(max(minutes, 1), 7 * 24 * 60))
        resolution = minutes > 0 && asked.isWholeMultiple(of: eventResolution) ? asked : eventResolution
        self.eventResolution = eventResolution
    }

    private let eventResolution: Timespan

    /// What is wrong with the query's dates, per field ("start", "end"): the window shown instead is the
    /// default or a shortened one, and the form says why.
    static func problems(in query: Parameters) -> [String: String] {
        var problems: [String: String] = [:]
        let start = query["start"].map(String.init), end = query["end"].map(String.init)
        if let start, !start.isEmpty, day(start) == nil { problems["start"] = "Not a date (yyyy-mm-dd) between 1970 and 2200." }
        if let end, !end.isEmpty, day(end) == nil { problems["end"] = "Not a date (yyyy-mm-dd) between 1970 and 2200." }
        if let first = start.flatMap(day), let last = end.flatMap(day) {
            if last < first { problems["end"] = "The last day comes before the first." }
            else if last - first >= .days(longestDays) { problems["start"] = "A window is at most \(longestDays) days: it was shortened." }
        }
        return problems
    }

    /// A day as `yyyy-mm-dd`, between 1970 and 2200.
    static func day(_ text: String) -> Instant? {
        guard text.utf8.count == 10, let instant = try? Instant.parseISO8601(text + "T00:00:00Z"),
              instant >= .epoch, instant < Instant(microsecondsSinceEpoch: 7_258_118_400_000_000)
        else { return nil }
        return instant
    }

    var startDate: String { String(start.iso8601.prefix(10)) }
    /// The last day shown (the end is the midnight after it).
    var endDate: String { String((end - .days(1)).iso8601.prefix(10)) }
    var resolutionMinutes: Int64 { resolution.microseconds / 60_000_000 }

    var resolutionChoices: [[String: Any]] {
        let minutes: [Int64] = [1, 5, 15, 30, 60, 120, 360, 1440]
        let choices = minutes.map(Timespan.minutes).filter { $0.isWholeMultiple(of: eventResolution) }
        return choices.map { choice in
            ["value": choice.microseconds / 60_000_000, "label": Formatting.duration(choice), "selected": choice == resolution]
        }
    }
}
