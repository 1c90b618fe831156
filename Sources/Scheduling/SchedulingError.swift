/// Why a problem got no schedule: the input is unusable, or no plan meets every constraint.
///
/// A struct over kinds rather than an enum (Hummingbird's pattern), so that new kinds don't break callers.
public struct SchedulingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The class of failure, for callers that answer each one differently.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidInput = "invalid input"
            case infeasible
            case solverFailure = "solver failure"
        }

        private let base: Base

        /// A field of the problem is malformed: a NaN, a count mismatch, a slot outside the horizon, ...
        public static let invalidInput = Kind(base: .invalidInput)
        /// The input is well-formed, but no schedule meets every constraint.
        public static let infeasible = Kind(base: .infeasible)
        /// GLPK stopped for a reason other than infeasibility (numerical trouble, say).
        public static let solverFailure = Kind(base: .solverFailure)

        /// "invalid input", "infeasible" or "solver failure".
        public var description: String { base.rawValue }
    }

    /// The class of failure.
    public let kind: Kind
    /// The problem's field at fault, e.g. `devices[0].targets[2].slot`; nil when no single field is.
    public let field: String?
    /// What is wrong or cannot be met, in words a user can act on.
    public let reason: String

    /// An error of `kind`; prefer the static constructors.
    public init(kind: Kind, field: String?, reason: String) {
        self.kind = kind
        self.field = field
        self.reason = reason
    }

    /// "infeasible: target of 6.0 MWh at slot 47 is above the maximum SOC of 5.0 MWh".
    public var description: String {
        if let field { return "\(kind) (\(field)): \(reason)" }
        return "\(kind): \(reason)"
    }

    static func invalid(_ field: String, _ reason: String) -> SchedulingError {
        SchedulingError(kind: .invalidInput, field: field, reason: reason)
    }

    static func infeasible(_ reason: String, field: String? = nil) -> SchedulingError {
        SchedulingError(kind: .infeasible, field: field, reason: reason)
    }

    static func solverFailure(_ reason: String) -> SchedulingError {
        SchedulingError(kind: .solverFailure, field: nil, reason: reason)
    }
}
