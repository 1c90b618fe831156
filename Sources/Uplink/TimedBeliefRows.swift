import BeliefStore
import Beliefs
import NIOCore

/// Rows of `fleet.timed_belief` in COPY's text format, written straight into a buffer: a backlog of a million
/// beliefs is a million lines, so no `String`, formatter or calendar is made per row.
///
/// A line is `event_start, belief_horizon, cumulative_probability, event_value, sensor_id, source_id, site_id`,
/// tab-separated: the event start as `YYYY-MM-DD HH:MM:SS.ffffff+00`, the horizon (event end minus belief
/// time) as `[-]H:MM:SS.ffffff`, the numbers as Swift's shortest round-trip decimals, which PostgreSQL reads
/// back to the same double.
enum TimedBeliefRows {
    static let columns = [
        "event_start", "belief_horizon", "cumulative_probability", "event_value", "sensor_id", "source_id", "site_id",
    ]

    /// Appends one line per belief of `columns`.
    static func write(
        _ columns: SegmentColumns, resolutionMicroseconds: Int64, sensorID: Int32, sourceID: Int32, siteID: Int32,
        into buffer: inout ByteBuffer
    ) {
        let ids = "\t\(sensorID)\t\(sourceID)\t\(siteID)\n"
        for index in 0..<columns.count {
            let start = columns.eventStarts[index]
            writeTimestamp(start, into: &buffer)
            buffer.writeInteger(UInt8(ascii: "\t"))
            // Stored event starts and belief times lie within years 1 to 9999 (Instant's ISO 8601 range), so
            // the subtraction cannot overflow; clamped all the same rather than trapping on a bad row.
            let (end, endOverflow) = start.addingReportingOverflow(resolutionMicroseconds)
            let (horizon, overflow) = end.subtractingReportingOverflow(columns.beliefTimes[index])
            writeInterval(endOverflow || overflow ? 0 : horizon, into: &buffer)
            buffer.writeInteger(UInt8(ascii: "\t"))
            buffer.writeString(columns.probabilities[index].description)
            buffer.writeInteger(UInt8(ascii: "\t"))
            buffer.writeString(columns.values[index].description)
            buffer.writeString(ids)
        }
    }

    /// `YYYY-MM-DD HH:MM:SS.ffffff+00` (years before 1 as `... BC`, as PostgreSQL writes them).
    static func writeTimestamp(_ microseconds: Int64, into buffer: inout ByteBuffer) {
        let (seconds, fraction) = microseconds.flooredDivision(by: 1_000_000)
        let (days, secondOfDay) = seconds.flooredDivision(by: 86_400)
        let (year, month, day) = CivilCalendar.date(daysSinceEpoch: days)
        let era = year <= 0
        writeDigits(era ? 1 - year : year, width: 4, into: &buffer)
        buffer.writeInteger(UInt8(ascii: "-"))
        writeDigits(month, width: 2, into: &buffer)
        buffer.writeInteger(UInt8(ascii: "-"))
        writeDigits(day, width: 2, into: &buffer)
        buffer.writeInteger(UInt8(ascii: " "))
        writeClock(secondOfDay, fraction: fraction, hourWidth: 2, into: &buffer)
        buffer.writeString(era ? "+00 BC" : "+00")
    }

    /// `[-]H:MM:SS.ffffff`, hours unbounded: PostgreSQL keeps such an interval in microseconds, as stored here.
    static func writeInterval(_ microseconds: Int64, into buffer: inout ByteBuffer) {
        if microseconds < 0 { buffer.writeInteger(UInt8(ascii: "-")) }
        let magnitude = microseconds.magnitude
        writeClock(Int64(magnitude / 1_000_000), fraction: Int64(magnitude % 1_000_000), hourWidth: 1, into: &buffer)
    }

    private static func writeClock(_ seconds: Int64, fraction: Int64, hourWidth: Int, into buffer: inout ByteBuffer) {
        writeDigits(seconds / 3600, width: hourWidth, into: &buffer)
        buffer.writeInteger(UInt8(ascii: ":"))
        writeDigits(seconds / 60 % 60, width: 2, into: &buffer)
        buffer.writeInteger(UInt8(ascii: ":"))
        writeDigits(seconds % 60, width: 2, into: &buffer)
        if fraction != 0 {
            buffer.writeInteger(UInt8(ascii: "."))
            writeDigits(fraction, width: 6, into: &buffer)
        }
    }

    /// A non-negative number in at least `width` digits.
    private static func writeDigits(_ value: Int64, width: Int, into buffer: inout ByteBuffer) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value.magnitude
        withUnsafeMutableBytes(of: &digits) { bytes in
            repeat {
                bytes[19 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            } while rest > 0
            while count < width {
                bytes[19 - count] = UInt8(ascii: "0")
                count += 1
            }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[(20 - count)...]))
        }
    }
}
