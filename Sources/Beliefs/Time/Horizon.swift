/// A belief horizon as posted: a duration, and whether it rolls with each event or is fixed to the period.
///
/// Written `PT6H` it is relative to the end of the whole posted period (API v1.x); written as an ISO 8601
/// repeating interval `R/PT6H` (or `R5/PT6H`) it is relative to each event's end. API v2.0 treats a plain
/// duration as rolling: that reinterpretation belongs to the API layer, not to the parser.
public struct Horizon: Hashable, Sendable {
    /// How long before the end (of each event, or of the period) the beliefs were formed; negative: after.
    public let duration: Timespan
    /// True when written as a repeating interval, i.e. relative to each event's end.
    public let isRolling: Bool

    /// A horizon of `duration`, rolling with each event or fixed to the period.
    public init(duration: Timespan, isRolling: Bool) {
        self.duration = duration
        self.isRolling = isRolling
    }

    /// Reads `PT6H`, `-PT10M`, `R/PT6H` or `Rn/PT6H`; anything else is `.malformedHorizon` with the text.
    public static func parse(_ text: String) throws(TimeParseError) -> Horizon {
        var durationText = Substring(text)
        var isRolling = false
        if durationText.first == "R" {
            // The repetition count of `Rn/` says nothing about the horizon itself, so it is checked and dropped.
            guard let slash = durationText.firstIndex(of: "/"),
                durationText[durationText.index(after: durationText.startIndex)..<slash].utf8.allSatisfy({
                    $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")
                })
            else { throw .malformedHorizon(text) }
            durationText = durationText[durationText.index(after: slash)...]
            isRolling = true
        }
        do {
            return Horizon(duration: try Timespan.parseISO8601(String(durationText)), isRolling: isRolling)
        } catch .durationOutOfRange {
            throw .durationOutOfRange(text)
        } catch {
            throw .malformedHorizon(text)
        }
    }

    /// The spelling `parse` reads back: the duration, prefixed with `R/` when rolling.
    public var iso8601: String {
        isRolling ? "R/" + duration.iso8601 : duration.iso8601
    }
}
