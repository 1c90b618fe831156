/// Why a timestamp, duration or horizon from a client could not be read; each case keeps the text.
public enum TimeParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A well-formed datetime without an offset: its instant is unknowable.
    case missingTimezone(String)
    /// Not an ISO 8601 datetime in the accepted form, or a field out of range (month 13, Feb 30, 24:00).
    case malformedDatetime(String)
    /// Not an ISO 8601 duration in the accepted form.
    case malformedDuration(String)
    /// A duration in years or months, which have no fixed length.
    case ambiguousDuration(String)
    /// Neither a duration nor a repeating interval of one (`R/PT6H`).
    case malformedHorizon(String)
    /// A well-formed duration longer than `Timespan.longestParsed` (10,000 years) either way.
    case durationOutOfRange(String)

    /// The text that failed to parse.
    public var text: String {
        switch self {
        case .missingTimezone(let text), .malformedDatetime(let text), .malformedDuration(let text),
            .ambiguousDuration(let text), .malformedHorizon(let text), .durationOutOfRange(let text):
            text
        }
    }

    /// A message that tells a client what to send instead.
    public var description: String {
        switch self {
        case .missingTimezone(let text):
            "'\(text)' has no timezone offset; add Z or +HH:MM (e.g. 2016-05-01T12:45:00Z)"
        case .malformedDatetime(let text):
            "'\(text)' is not a valid ISO 8601 datetime; expected YYYY-MM-DDTHH:MM[:SS[.ffffff]] followed by Z or "
                + "+HH:MM, with a real calendar date and a time from 00:00:00 to 23:59:59 (e.g. 2016-05-01T12:45:00Z)"
        case .malformedDuration(let text):
            "'\(text)' is not a valid ISO 8601 duration; write PnW or PnDTnHnMnS, optionally with a leading - "
                + "(e.g. PT15M, PT1H30M, P1D, -PT10M)"
        case .ambiguousDuration(let text):
            "'\(text)' uses years or months, which have no fixed length; write the duration in weeks, days, "
                + "hours, minutes or seconds (e.g. P30D)"
        case .durationOutOfRange(let text):
            "'\(text)' is longer than \(Timespan.longestParsed.iso8601) (10,000 years); durations and horizons this "
                + "long describe no time a site has data for"
        case .malformedHorizon(let text):
            "'\(text)' is not a valid horizon; write an ISO 8601 duration such as PT6H, or R/PT6H for a horizon "
                + "relative to each event's end"
        }
    }
}
