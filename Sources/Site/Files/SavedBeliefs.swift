import Beliefs
import Foundation

/// The file of beliefs that `db-ops save` writes and `db-ops load` and `restoreData` read:
/// `sensor_id,event_start,belief_time,source_id,cumulative_probability,value`, one belief a line.
public enum SavedBeliefs {
    public static let header = "sensor_id,event_start,belief_time,source_id,cumulative_probability,value"

    /// A line that cannot be read, by its number.
    public struct Invalid: Error, CustomStringConvertible {
        public let path: String
        public let line: Int
        public var description: String { "\(path) line \(line) is not \(SavedBeliefs.header)" }
    }

    public static func line(for belief: Belief) -> String {
        "\(belief.sensorID),\(belief.eventStart.iso8601),\(belief.beliefTime.iso8601),\(belief.sourceID),\(belief.cumulativeProbability),\(belief.value)"
    }

    /// The beliefs of a file; none when it does not exist.
    public static func read(_ file: URL) throws -> [Belief] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        var beliefs: [Belief] = []
        for (index, line) in text.split(whereSeparator: \.isNewline).enumerated() where index > 0 {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 6, let sensor = Int64(fields[0]), let source = Int64(fields[3]),
                  let probability = Double(fields[4]), let value = Double(fields[5]),
                  let start = try? Instant.parseISO8601(fields[1]), let beliefTime = try? Instant.parseISO8601(fields[2]) else {
                throw Invalid(path: file.path, line: index + 1)
            }
            beliefs.append(Belief(sensorID: sensor, eventStart: start, beliefTime: beliefTime, sourceID: source,
                                  cumulativeProbability: probability, value: value))
        }
        return beliefs
    }
}
