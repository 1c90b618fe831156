import BeliefStore

/// Why a batch of beliefs was not stored, the same for every entry point; nothing of the batch was stored.
public struct IngestError: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// Some beliefs were stored before (with `DuplicatePolicy.refuse`).
        case alreadyStored
        /// An event starts off its sensor's resolution grid.
        case offGrid
        /// A belief names a sensor the site does not have.
        case unknownSensor
        /// A belief names a data source the site does not have.
        case unknownSource
        /// Anything else wrong with a belief (a non-finite value, a probability outside [0, 1], one belief twice).
        case invalid
    }

    public let reason: Reason
    public let description: String

    init(_ error: BeliefStoreError) {
        switch error {
        case .alreadyStored: reason = .alreadyStored
        case .offGrid: reason = .offGrid
        case .unknownSensor: reason = .unknownSensor
        case .unknownSource: reason = .unknownSource
        default: reason = .invalid
        }
        description = error.description
    }
}
