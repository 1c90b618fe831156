import Beliefs
import Foundation
import GRDB

/// The plain row table the store is compared with: one row per belief, primary key on the first five
/// columns. WITHOUT ROWID, the strongest plain layout SQLite offers (one B-tree, no separate index).
struct RowTable {
    let pool: DatabasePool

    init(path: String) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        pool = try DatabasePool(path: path, configuration: configuration)
        try pool.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS belief_row (
                    sensor_id INTEGER NOT NULL,
                    event_start_us INTEGER NOT NULL,
                    belief_time_us INTEGER NOT NULL,
                    source_id INTEGER NOT NULL,
                    cumulative_probability REAL NOT NULL,
                    value REAL NOT NULL,
                    PRIMARY KEY (sensor_id, event_start_us, belief_time_us, source_id, cumulative_probability)
                ) WITHOUT ROWID
                """)
        }
    }

    /// One durable transaction for the batch, through one prepared statement.
    func append(_ beliefs: [Belief]) throws {
        try pool.write { db in
            let statement = try db.makeStatement(sql: "INSERT INTO belief_row VALUES (?, ?, ?, ?, ?, ?)")
            for belief in beliefs {
                statement.setUncheckedArguments([
                    belief.sensorID, belief.eventStart.microsecondsSinceEpoch, belief.beliefTime.microsecondsSinceEpoch,
                    belief.sourceID, belief.cumulativeProbability, belief.value,
                ])
                try statement.execute()
            }
        }
    }

    /// The same answer as `BeliefStore.mostRecentBeliefs`: read the window, then one belief per event.
    func mostRecentBeliefs(sensorID: SensorID, from start: Instant, to end: Instant, resolution: Timespan) throws -> [Belief] {
        let beliefs = try pool.read { db in
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT event_start_us, belief_time_us, source_id, cumulative_probability, value FROM belief_row
                    WHERE sensor_id = ? AND event_start_us >= ? AND event_start_us < ? ORDER BY event_start_us
                    """,
                arguments: [sensorID, start.microsecondsSinceEpoch, end.microsecondsSinceEpoch]
            )
            var found: [Belief] = []
            while let row = try cursor.next() {
                found.append(Belief(
                    sensorID: sensorID, eventStart: Instant(microsecondsSinceEpoch: row[0]),
                    beliefTime: Instant(microsecondsSinceEpoch: row[1]), sourceID: row[2],
                    cumulativeProbability: row[3], value: row[4]
                ))
            }
            return found
        }
        return BeliefSelection.mostRecent(sortedByEventStart: beliefs, eventResolution: resolution, filter: .all)
    }
}
