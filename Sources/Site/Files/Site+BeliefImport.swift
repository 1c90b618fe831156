import BeliefStore
import Beliefs

/// Why a CSV of beliefs was not imported; nothing of it was stored.
public typealias ImportError = SiteError<ImportProblem>

public enum ImportProblem: Sendable, Hashable {
    case unknownSensor
    /// Lines that cannot be read, each with its number and what is wrong.
    case unreadable(lines: [String])
    /// The store refused the beliefs (already stored, off the sensor's grid, ...).
    case refused
}

extension Site {
    /// Imports a CSV of one sensor's values (`event_start,value`, optionally `belief_time` and
    /// `cumulative_probability`) as `add beliefs` and the console's upload do: all of it or, on any bad line
    /// or refusal, nothing. Without belief times, a rolling `horizon` or one `prior` says when the values
    /// were known; with neither, now.
    public func importBeliefs(
        csv text: String, named file: String, sensorID: SensorID, horizon: Timespan?, prior: Instant?, from origin: BeliefOrigin
    ) async throws -> AppendReceipt {
        // Parsing a large file is seconds of work: off the cooperative threads that answer every request.
        let beliefs = try await runBlocking { [self] in
            try beliefsToImport(csv: text, named: file, sensorID: sensorID, horizon: horizon, prior: prior)
        }
        do {
            return try await ingest(beliefs, from: origin)
        } catch let error as IngestError {
            throw ImportError(.refused, "Nothing was imported: \(error.description)")
        }
    }

    /// `importBeliefs`, blocking the caller in a durable transaction of its own (the CLI).
    public func importBeliefsNow(
        csv text: String, named file: String, sensorID: SensorID, horizon: Timespan?, prior: Instant?, from origin: BeliefOrigin
    ) throws -> AppendReceipt {
        let beliefs = try beliefsToImport(csv: text, named: file, sensorID: sensorID, horizon: horizon, prior: prior)
        do {
            return try ingestNow(beliefs, from: origin)
        } catch let error as IngestError {
            throw ImportError(.refused, "Nothing was imported: \(error.description)")
        }
    }

    private func beliefsToImport(
        csv text: String, named file: String, sensorID: SensorID, horizon: Timespan?, prior: Instant?
    ) throws -> [Belief] {
        guard let shape = try store.sensorShape(id: sensorID) else {
            throw ImportError(.unknownSensor, "There is no sensor with id \(sensorID).")
        }
        let rows: [BeliefCSV.Row]
        do {
            rows = try BeliefCSV.read(text, file: file, required: [.eventStart, .value], allowed: [.eventStart, .beliefTime, .probability, .value])
        } catch let error as BeliefCSV.Invalid {
            throw ImportError(.unreadable(lines: error.problems), error.description)
        }
        let arrival = clock()
        return rows.map { row in
            let beliefTime = row.beliefTime ?? BeliefTiming.beliefTime(
                eventStart: row.eventStart, eventResolution: shape.eventResolution, periodEnd: row.eventStart + shape.eventResolution,
                horizon: horizon.map { Horizon(duration: $0, isRolling: true) }, prior: prior, arrival: arrival
            )
            return Belief(sensorID: sensorID, eventStart: row.eventStart, beliefTime: beliefTime, sourceID: 0,
                          cumulativeProbability: row.probability ?? 0.5, value: row.value)
        }
    }
}
