/// The belief time of a posted value (reference 14.4.6, API-NOTES "Beliefs: horizon and prior").
public enum BeliefTiming: Sendable {
    /// When the posting source formed its belief about the event starting at `eventStart`.
    ///
    /// A rolling horizon counts back from the event's end, a fixed one from `periodEnd` (the end of the
    /// whole posted period); `prior` is one time for the whole message; with both, the earlier wins
    /// (the source knew it by then at the latest); with neither, the message's `arrival`.
    public static func beliefTime(
        eventStart: Instant, eventResolution: Timespan, periodEnd: Instant, horizon: Horizon?,
        prior: Instant?, arrival: Instant
    ) -> Instant {
        let fromHorizon = horizon.map { horizon in
            (horizon.isRolling ? eventStart + eventResolution : periodEnd) - horizon.duration
        }
        switch (fromHorizon, prior) {
        case let (fromHorizon?, prior?): return min(fromHorizon, prior)
        case let (fromHorizon?, nil): return fromHorizon
        case let (nil, prior?): return prior
        case (nil, nil): return arrival
        }
    }
}
