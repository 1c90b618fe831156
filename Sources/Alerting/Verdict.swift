import Beliefs

/// What one evaluation of a rule says about its condition.
public enum Verdict: Sendable, Hashable {
    /// The condition holds over `start..<end` (for data: the event; for a timer: the evaluation moment).
    case breaching
    /// The condition does not hold.
    case clear
    /// Neither: a value in the hysteresis band between the trigger and the recovery value, or nothing to
    /// judge. The alert keeps what it was.
    case hold
}

/// A verdict on one stretch of time: an event of the sensor, or the moment of a timer pass.
public struct TimedVerdict: Sendable, Hashable {
    public var verdict: Verdict
    public var start: Instant
    public var end: Instant
    /// The value that was judged, when there is one (a notice quotes it).
    public var value: Double?

    public init(_ verdict: Verdict, start: Instant, end: Instant, value: Double? = nil) {
        self.verdict = verdict
        self.start = start
        self.end = end
        self.value = value
    }

    /// A verdict about the moment `instant` (timer rules).
    public static func at(_ instant: Instant, _ verdict: Verdict, value: Double? = nil) -> TimedVerdict {
        TimedVerdict(verdict, start: instant, end: instant, value: value)
    }
}

/// One value of a sensor: the event's start and the value believed (the newest belief of the event).
public struct Observation: Sendable, Hashable {
    public var eventStart: Instant
    public var value: Double

    public init(eventStart: Instant, value: Double) {
        self.eventStart = eventStart
        self.value = value
    }
}
