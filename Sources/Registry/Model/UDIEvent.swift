import Beliefs

/// A UDI event: a battery's or charge point's state of charge at a moment, possibly with targets,
/// as a gateway posts it (reference 15.6); the scheduling job it started plans the device from it.
public struct UDIEvent: Hashable, Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case soc
        case socWithTargets = "soc-with-targets"
    }

    /// A state of charge to reach at a moment, MWh.
    public struct Target: Hashable, Sendable {
        public let datetime: Instant
        public let socInMWh: Double

        public init(datetime: Instant, socInMWh: Double) {
            self.datetime = datetime
            self.socInMWh = socInMWh
        }
    }

    public let assetID: SensorID
    public let eventID: Int64
    public let kind: Kind
    public let datetime: Instant
    public let socInMWh: Double
    public let targets: [Target]
    public var jobID: Int64?

    public init(assetID: SensorID, eventID: Int64, kind: Kind, datetime: Instant, socInMWh: Double, targets: [Target], jobID: Int64?) {
        self.assetID = assetID
        self.eventID = eventID
        self.kind = kind
        self.datetime = datetime
        self.socInMWh = socInMWh
        self.targets = targets
        self.jobID = jobID
    }
}
