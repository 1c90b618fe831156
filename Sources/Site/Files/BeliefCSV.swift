import Beliefs

/// The one CSV form of beliefs that every command and endpoint reads and writes: a header naming the
/// columns, then one belief a line, comma-separated, times in ISO 8601 with offsets:
///
///     sensor_id,event_start,belief_time,source_id,cumulative_probability,value
///
/// Each use reads or writes the columns it needs, in this order: `add beliefs` reads event_start and value
/// (and belief_time, cumulative_probability when given), `show beliefs` writes all but sensor_id, a saved
/// backup (`db-ops save`, `restoreData`) has all six.
public enum BeliefCSV {
    public enum Column: String, CaseIterable, Sendable {
        case sensorID = "sensor_id", eventStart = "event_start", beliefTime = "belief_time", sourceID = "source_id"
        case probability = "cumulative_probability", value
    }

    /// A belief as a line states it; what the file leaves out, the caller decides.
    public struct Row: Sendable {
        public var sensorID: SensorID?
        public var eventStart: Instant
        public var beliefTime: Instant?
        public var sourceID: SourceID?
        public var probability: Double?
        public var value: Double
        /// The line's number in the file, from 1 (the header).
        public var line: Int
    }

    /// Why a file was not read, line by line; nothing of it is used.
    public struct Invalid: Error, CustomStringConvertible {
        public let file: String
        public let problems: [String]

        public var description: String {
            let shown = problems.prefix(20).joined(separator: "\n  ")
            let more = problems.count > 20 ? "\n  (and \(problems.count - 20) more)" : ""
            return problems.count == 1 && problems[0].hasPrefix("line 1:")
                ? "\(file) \(problems[0])"
                : "\(file) has \(problems.count) bad row(s); nothing was imported:\n  \(shown)\(more)"
        }
    }

    /// The bad lines a refusal lists at most (the first ones), and the longest description of one.
    static let problemsListed = 1_000
    static let longestProblem = 200

    /// The rows of `text`: the header must name every `required` column and only `allowed` ones (in any order).
    public static func read(_ text: String, file: String, required: [Column], allowed: Set<Column>) throws -> [Row] {
        // A spreadsheet's "CSV UTF-8" starts with a byte order mark.
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated().map { ($0 + 1, $1) }
        while let last = lines.last, last.1.allSatisfy({ $0 == " " || $0 == "\t" }) { lines.removeLast() }
        let expected = required.map(\.rawValue).joined(separator: ",")
        guard let header = lines.first else { throw Invalid(file: file, problems: ["line 1: the file is empty; expected a header such as \(expected)"]) }
        var columns: [Column] = []
        for name in header.1.split(separator: ",", omittingEmptySubsequences: false) {
            // A header name may be quoted, as spreadsheets write them.
            var trimmed = name.trimmingCharacters(in: .whitespaces).lowercased()
            if trimmed.count >= 2, trimmed.hasPrefix("\""), trimmed.hasSuffix("\"") { trimmed = String(trimmed.dropFirst().dropLast()) }
            guard let column = Column(rawValue: trimmed), allowed.contains(column), !columns.contains(column) else {
                let names = Column.allCases.filter(allowed.contains).map(\.rawValue).joined(separator: ", ")
                throw Invalid(file: file, problems: ["line 1: the header must name \(expected), and may name \(names); '\(trimmed.prefix(Self.longestProblem))' is not one of them"])
            }
            columns.append(column)
        }
        guard Set(required).isSubset(of: columns) else {
            throw Invalid(file: file, problems: ["line 1: the header must name \(expected)"])
        }
        var rows: [Row] = []
        rows.reserveCapacity(lines.count)
        var problems: [String] = []
        reading: for (number, line) in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == columns.count else {
                problems.append("line \(number): expected \(columns.count) fields, got \(fields.count)")
                if problems.count >= Self.problemsListed { break reading }
                continue
            }
            switch row(fields, columns: columns, line: number) {
            case let .success(row): rows.append(row)
            case let .failure(problem):
                // A line is quoted at most so long: a file of one huge bad line gets a short answer.
                problems.append("line \(number): " + String(problem.description.prefix(Self.longestProblem)))
                if problems.count >= Self.problemsListed { break reading }
            }
        }
        if problems.count >= Self.problemsListed {
            problems.append("(the rest of the file was not read after \(Self.problemsListed) bad lines)")
        }
        guard problems.isEmpty else { throw Invalid(file: file, problems: problems) }
        return rows
    }

    private struct RowProblem: Error, CustomStringConvertible {
        let description: String
    }

    private static func row(_ fields: [String], columns: [Column], line: Int) -> Result<Row, RowProblem> {
        var row = Row(eventStart: .epoch, value: 0, line: line)
        for (column, field) in zip(columns, fields) {
            switch column {
            case .sensorID, .sourceID:
                guard let id = Int64(field), id > 0 else { return .failure(RowProblem(description: "'\(field)' is not a \(column.rawValue)")) }
                if column == .sensorID { row.sensorID = id } else { row.sourceID = id }
            case .eventStart, .beliefTime:
                let instant: Instant
                do { instant = try Instant.parseISO8601(field) } catch { return .failure(RowProblem(description: error.description)) }
                if column == .eventStart { row.eventStart = instant } else { row.beliefTime = instant }
            case .probability:
                guard let probability = Double(field), (0...1).contains(probability) else {
                    return .failure(RowProblem(description: "'\(field)' is not a cumulative probability from 0 to 1"))
                }
                row.probability = probability
            case .value:
                guard let value = Double(field), value.isFinite else { return .failure(RowProblem(description: "'\(field)' is not a finite number")) }
                row.value = value
            }
        }
        return .success(row)
    }

    /// The header line of `columns`.
    public static func header(_ columns: [Column]) -> String {
        columns.map(\.rawValue).joined(separator: ",")
    }

    /// A belief's line with `columns`.
    public static func line(_ belief: Belief, columns: [Column]) -> String {
        columns.map { column in
            switch column {
            case .sensorID: String(belief.sensorID)
            case .eventStart: belief.eventStart.iso8601
            case .beliefTime: belief.beliefTime.iso8601
            case .sourceID: String(belief.sourceID)
            case .probability: "\(belief.cumulativeProbability)"
            case .value: "\(belief.value)"
            }
        }.joined(separator: ",")
    }
}
