import Beliefs
import Foundation

/// The beliefs of a saved backup (`beliefs.csv` of `db-ops save`, read by `db-ops load` and `restoreData`):
/// every belief with all six columns of `BeliefCSV`.
public enum SavedBeliefs {
    public static let columns = BeliefCSV.Column.allCases
    public static let header = BeliefCSV.header(columns)

    public static func line(for belief: Belief) -> String {
        BeliefCSV.line(belief, columns: columns)
    }

    /// The beliefs of a file; none when it does not exist.
    public static func read(_ file: URL) throws -> [Belief] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [] }
        return try BeliefCSV.read(text, file: file.path, required: columns, allowed: Set(columns)).map { row in
            // Every column is required, so every optional is there.
            Belief(sensorID: row.sensorID ?? 0, eventStart: row.eventStart, beliefTime: row.beliefTime ?? row.eventStart,
                   sourceID: row.sourceID ?? 0, cumulativeProbability: row.probability ?? 0.5, value: row.value)
        }
    }
}
