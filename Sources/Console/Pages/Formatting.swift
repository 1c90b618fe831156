import Beliefs
import Foundation

/// How the console writes numbers, times and durations: the same on every page.
enum Formatting {
    static func number(_ value: Double, digits: Int = 3) -> String {
        guard value.isFinite else { return "–" }
        let text = String(format: "%.\(digits)f", value)
        return text == "-" + String(format: "%.\(digits)f", 0.0) ? String(format: "%.\(digits)f", 0.0) : text
    }

    /// ISO 8601 in UTC, for `<time datetime>`.
    static func iso(_ instant: Instant) -> String { instant.iso8601 }

    /// A readable UTC time ("2026-12-05 14:15 UTC"); the page's script shows it in local time.
    static func readable(_ instant: Instant) -> String {
        let iso = instant.iso8601
        guard iso.count >= 16 else { return iso }
        let date = iso.prefix(10), time = iso.dropFirst(11).prefix(5)
        return "\(date) \(time) UTC"
    }

    static func duration(_ span: Timespan) -> String {
        let minutes = span.microseconds / 60_000_000
        if minutes % (24 * 60) == 0 { return "\(minutes / (24 * 60)) day(s)" }
        if minutes % 60 == 0 { return "\(minutes / 60) hour(s)" }
        return "\(minutes) minutes"
    }

    /// How long something has waited, to the second under a minute, coarser above ("3 h 12 min").
    static func age(_ span: Timespan) -> String {
        let seconds = max(span.microseconds, 0) / 1_000_000
        let minutes = seconds / 60, hours = minutes / 60
        if seconds < 60 { return "\(seconds) s" }
        if minutes < 60 { return "\(minutes) min" }
        if hours < 48 { return "\(hours) h \(minutes % 60) min" }
        return "\(hours / 24) days \(hours % 24) h"
    }
}
