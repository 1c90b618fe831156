import Beliefs
import Registry

/// A battery's or charge point's state of charge at a moment, and for soc-with-targets the states of
/// charge to reach, as a gateway reports them (postUdiEvent), before the site has checked them. Values are
/// in `unit`, kWh or MWh.
public struct UDIEventReport: Sendable {
    /// A state of charge to reach at a moment, in the report's unit.
    public struct Target: Sendable {
        public let datetime: Instant
        public let value: Double

        public init(datetime: Instant, value: Double) {
            self.datetime = datetime
            self.value = value
        }
    }

    public let asset: Asset
    public let eventID: Int64
    public let kind: UDIEvent.Kind
    public let unit: String?
    public let value: Double
    public let datetime: Instant
    public let targets: [Target]

    public init(asset: Asset, eventID: Int64, kind: UDIEvent.Kind, unit: String?, value: Double, datetime: Instant, targets: [Target]) {
        self.asset = asset
        self.eventID = eventID
        self.kind = kind
        self.unit = unit
        self.value = value
        self.datetime = datetime
        self.targets = targets
    }

    /// What an event's datetime may be, against the asset's latest one (reference 15.6: v1.2 wants a later
    /// one, v1.3 on accept the same one).
    public enum DatetimeRule: Sendable {
        case later, notEarlier
    }
}

/// When a device's plan is made: by the scheduling job a UDI event queues (v1.3 on), or when the plan is
/// asked for (v1.2, which only records the event).
public enum DevicePlanning: Sendable {
    case byJob, onRequest
}

/// Why a UDI event was refused; nothing of it was recorded.
public typealias UDIEventError = SiteError<UDIEventProblem>

public enum UDIEventProblem: Sendable, Hashable {
    /// The event id is not after the asset's latest (or was posted before).
    case outdated
    /// The state of charge is not in kWh or MWh.
    case unit
    /// The event's datetime is before the asset's latest or outside the datetimes a client may send, or a
    /// target beyond the planning horizon.
    case datetime
    /// More targets than the plan has slots.
    case tooManyTargets
}
