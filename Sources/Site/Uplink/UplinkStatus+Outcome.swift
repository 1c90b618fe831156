import Beliefs

extension UplinkStatus {
    /// Whether the last attempt to forward succeeded; nil before the first attempt of the stream. What
    /// `/api/health`, `/metrics` (`flexmeasures_uplink_up`) and the console call the uplink being up.
    public var lastAttemptSucceeded: Bool? {
        guard lastAttempt != nil else { return nil }
        return lastError == nil
    }
}
