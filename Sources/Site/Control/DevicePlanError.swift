/// Why a device has no plan to hand out (getDeviceMessage), with the reason the scheduler or its job gave.
public typealias DevicePlanError = SiteError<DevicePlanProblem>

public enum DevicePlanProblem: Sendable, Hashable {
    /// Planned on request, and the asset's market has no prices for the window.
    case unknownPrices
    /// Planned on request, and the scheduler could not plan (infeasible, invalid).
    case notPlanned
    /// The event's scheduling job is waiting for a worker, or running: ask again.
    case waiting, inProgress
    /// The event's scheduling job failed, or its result cannot be read.
    case failed
    /// The event's scheduling job is gone (its time to live ran out, or the queue was cleared).
    case expired
}
