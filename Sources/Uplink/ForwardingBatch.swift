import BeliefStore
import Beliefs
import NIOCore

/// Journal entries turned into what the central server runs, in the journal's order: runs of appends as
/// COPY text, deletions as statements. Made off the request threads (it formats up to a batch of lines).
struct ForwardingBatch: Sendable {
    enum Step: Sendable {
        /// COPY text in chunks, with the beliefs it holds.
        case copy([ByteBuffer], beliefs: Int)
        case deleteAll
        /// Measurements or prognoses of one site sensor, or of all (nil).
        case delete(BeliefStore.BeliefKind, siteSensorID: SensorID?)
        case deleteSensor(SensorID)
    }

    let steps: [Step]
    let firstSequence: Int64
    let lastSequence: Int64
    /// Beliefs sent in COPY steps.
    let beliefs: Int
    /// Beliefs of sensors deleted on the site before they were forwarded (a later entry deletes them centrally
    /// in any case), left out.
    let skipped: Int

    static let chunkBytes = 1 << 20

    /// The ids the entries name that the session has no central id for.
    static func unmapped(
        _ entries: [JournalEntry], sensors: [SensorID: CentralSession.MappedSensor], sources: [SourceID: Int32]
    ) -> (sensors: Set<SensorID>, sources: Set<SourceID>) {
        var missingSensors: Set<SensorID> = []
        var missingSources: Set<SourceID> = []
        for entry in entries {
            guard case let .append(sensorID, sourceID, _) = entry.change else { continue }
            if sensors[sensorID] == nil { missingSensors.insert(sensorID) }
            if sources[sourceID] == nil { missingSources.insert(sourceID) }
        }
        return (missingSensors, missingSources)
    }

    init(
        _ entries: [JournalEntry], siteID: Int32, sensors: [SensorID: CentralSession.MappedSensor], sources: [SourceID: Int32]
    ) {
        var steps: [Step] = []
        var chunks: [ByteBuffer] = []
        var buffer = ByteBuffer()
        var copied = 0
        var beliefs = 0
        var skipped = 0
        func closeCopy() {
            if buffer.readableBytes > 0 { chunks.append(buffer) }
            if !chunks.isEmpty { steps.append(.copy(chunks, beliefs: copied)) }
            chunks = []
            buffer = ByteBuffer()
            copied = 0
        }
        for entry in entries {
            switch entry.change {
            case let .append(sensorID, sourceID, columns):
                guard let sensor = sensors[sensorID], let source = sources[sourceID] else {
                    skipped += columns.count
                    continue
                }
                if buffer.capacity == 0 { buffer.reserveCapacity(Self.chunkBytes + 4096) }
                TimedBeliefRows.write(
                    columns, resolutionMicroseconds: sensor.resolutionMicroseconds, sensorID: sensor.centralID, sourceID: source,
                    siteID: siteID, into: &buffer
                )
                copied += columns.count
                beliefs += columns.count
                if buffer.readableBytes >= Self.chunkBytes {
                    chunks.append(buffer)
                    buffer = ByteBuffer()
                }
            case .deleteAll:
                closeCopy()
                steps.append(.deleteAll)
            case let .delete(kind, sensorID):
                closeCopy()
                steps.append(.delete(kind, siteSensorID: sensorID))
            case let .deleteSensor(sensorID):
                closeCopy()
                steps.append(.deleteSensor(sensorID))
            }
        }
        closeCopy()
        self.steps = steps
        self.firstSequence = entries.first?.sequence ?? 0
        self.lastSequence = entries.last?.sequence ?? 0
        self.beliefs = beliefs
        self.skipped = skipped
    }
}
