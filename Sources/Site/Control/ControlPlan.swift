import Beliefs
import Jobs
import Registry

/// A battery's or charge point's plan as the control page shows it (reference 11): over the planning
/// horizon from its latest UDI event, per slot the scheduler's planned power, the state of charge it leads
/// to, and the market's price; with the latest event's scheduling job and where it is.
public struct ControlPlan: Sendable {
    /// One slot: planned MW (consumption positive, nil when there is no plan for it), the price, and the
    /// state of charge at the slot's end (MWh) while the plan is known from the event on.
    public struct Slot: Sendable, Equatable {
        public let start: Instant
        public let plannedMW: Double?
        public let price: Double?
        public let socMWh: Double?
    }

    public let asset: Asset
    public let start: Instant
    public let end: Instant
    /// The asset's latest UDI event, and the job that plans it (nil for an event planned on request).
    public let event: UDIEvent?
    public let job: Job?
    public let slots: [Slot]
    /// The market whose prices are shown.
    public let market: Market?

    /// Whether the slots hold the latest event's plan: its job finished (or it was planned on request).
    public var hasSchedule: Bool { slots.contains { $0.plannedMW != nil } }
}

/// Why a schedule asked for from a state-of-charge target was not started; nothing was recorded.
public typealias ScheduleRequestError = SiteError<ScheduleRequestProblem>

public enum ScheduleRequestProblem: Sendable, Hashable {
    /// The asset has no state of charge to plan from (no UDI event, no soc_in_mwh).
    case noStateOfCharge
    /// The target value is not a number within the asset's state-of-charge range.
    case value
    /// The target datetime is not after the plan's start or lies beyond the planning horizon.
    case datetime
    /// The schedule asked for before is still queued or being made: one at a time per device.
    case busy
}
