import Beliefs

/// Why the belief store refused a batch or a read. A refused batch stores nothing.
public enum BeliefStoreError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownSensor(SensorID)
    case unknownSource(SourceID)
    /// NaN or an infinity: not a measurement of anything.
    case nonFiniteValue(index: Int, sensorID: SensorID, eventStart: Instant)
    case invalidProbability(index: Int, probability: Double)
    /// The event does not start on the sensor's resolution grid.
    case offGrid(index: Int, sensorID: SensorID, eventStart: Instant, resolution: Timespan)
    /// The same belief (sensor, event start, belief time, source, probability) twice in one batch.
    case duplicateInBatch(index: Int, sensorID: SensorID, eventStart: Instant, beliefTime: Instant)
    /// Beliefs of the batch are stored already; the API answers ALREADY_RECEIVED_AND_SUCCESSFULLY_PROCESSED.
    case alreadyStored(count: Int, sensorID: SensorID, eventStart: Instant, beliefTime: Instant)
    /// A segment failed its checksum or could not be decoded: reported, never decoded into wrong numbers.
    case corruptSegment(segmentID: Int64, reason: String)
    /// An entry of the belief journal (the uplink's stream) could not be decoded.
    case corruptJournalEntry(sequence: Int64, reason: String)

    public var description: String {
        switch self {
        case let .unknownSensor(id):
            "no sensor with id \(id)"
        case let .unknownSource(id):
            "no data source with id \(id)"
        case let .nonFiniteValue(index, sensorID, eventStart):
            "value \(index) (sensor \(sensorID), event at \(eventStart.iso8601)) is not a finite number"
        case let .invalidProbability(index, probability):
            "belief \(index) has cumulative probability \(probability); it must be between 0 and 1"
        case let .offGrid(index, sensorID, eventStart, resolution):
            "belief \(index): event start \(eventStart.iso8601) is not on the \(resolution.iso8601) grid of sensor \(sensorID)"
        case let .duplicateInBatch(index, sensorID, eventStart, beliefTime):
            "belief \(index) repeats an earlier one of the same batch (sensor \(sensorID), event \(eventStart.iso8601), "
                + "belief time \(beliefTime.iso8601))"
        case let .alreadyStored(count, sensorID, eventStart, beliefTime):
            "\(count) belief(s) are stored already, e.g. sensor \(sensorID), event \(eventStart.iso8601), "
                + "belief time \(beliefTime.iso8601)"
        case let .corruptSegment(segmentID, reason):
            "belief segment \(segmentID) is corrupt: \(reason)"
        case let .corruptJournalEntry(sequence, reason):
            "belief journal entry \(sequence) is corrupt: \(reason)"
        }
    }
}
