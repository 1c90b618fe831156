import Beliefs

/// How long a rule's condition must hold before it fires, and how often a firing alert reminds.
public struct AlertTiming: Sendable, Hashable {
    public var holdFor: Timespan
    /// Nil: no reminders, one notice per breach.
    public var repeatInterval: Timespan?

    public init(holdFor: Timespan = .zero, repeatInterval: Timespan? = nil) {
        self.holdFor = holdFor
        self.repeatInterval = repeatInterval
    }
}

/// What an alert's change asks to tell: that it fires (first, or again after a silence), that it still
/// fires (a reminder after the repeat interval), or that it resolved.
public enum NoticeKind: String, Sendable, Hashable {
    case firing, reminder, resolved
}

/// One alert's state (one rule on one sensor or subject) and the state machine that verdicts drive:
///
///     inactive|resolved --breaching--> pending --breaching, held for `for`--> firing --clear--> resolved
///     pending --clear--> inactive            (a verdict that holds changes nothing)
///
/// A notice goes out when it fires unless muted (a silence); a muted or never-told firing alert is told
/// once the mute ends (`reminderDue`); a reminder after each repeat interval while firing, unless muted or
/// acknowledged; "resolved" when it resolves, if its firing was told. Acknowledgement clears on resolve.
public struct AlertStatus: Sendable, Hashable {
    public var state: AlertState
    /// Start of the current breach (pending or firing), nil otherwise.
    public var activeSince: Instant?
    public var firedAt: Instant?
    public var resolvedAt: Instant?
    /// When the last notice of the current breach was written (site clock); nil while none was.
    public var lastNotifiedAt: Instant?
    public var acknowledged: Bool
    /// The last value judged, if any.
    public var value: Double?

    public init(
        state: AlertState = .inactive, activeSince: Instant? = nil, firedAt: Instant? = nil, resolvedAt: Instant? = nil,
        lastNotifiedAt: Instant? = nil, acknowledged: Bool = false, value: Double? = nil
    ) {
        self.state = state
        self.activeSince = activeSince
        self.firedAt = firedAt
        self.resolvedAt = resolvedAt
        self.lastNotifiedAt = lastNotifiedAt
        self.acknowledged = acknowledged
        self.value = value
    }

    /// Applies one verdict; `muted` says whether a silence covers the alert now, `now` is the site clock
    /// (when notices are written). Returns the notice to write, if any.
    public mutating func apply(_ verdict: TimedVerdict, timing: AlertTiming, muted: Bool, now: Instant) -> NoticeKind? {
        switch verdict.verdict {
        case .hold:
            return nil
        case .breaching:
            if verdict.value != nil { value = verdict.value }
            if state == .inactive || state == .resolved {
                state = .pending
                activeSince = verdict.start
                firedAt = nil
                resolvedAt = nil
                lastNotifiedAt = nil
                acknowledged = false
            }
            if state == .pending, let since = activeSince, verdict.end - since >= timing.holdFor {
                state = .firing
                firedAt = max(verdict.end, since)
            }
            return state == .firing ? remind(timing: timing, muted: muted, now: now) : nil
        case .clear:
            if verdict.value != nil { value = verdict.value }
            switch state {
            case .pending:
                state = .inactive
                activeSince = nil
                return nil
            case .firing:
                state = .resolved
                resolvedAt = max(verdict.start, firedAt ?? verdict.start)
                acknowledged = false
                let told = lastNotifiedAt != nil
                if told { lastNotifiedAt = now }
                return told ? .resolved : nil
            case .inactive, .resolved:
                return nil
            }
        }
    }

    /// Whether a firing alert should be told (again) now: never told yet, or told a repeat interval ago;
    /// never while muted or acknowledged.
    public func reminderDue(timing: AlertTiming, muted: Bool, now: Instant) -> Bool {
        guard state == .firing, !muted, !acknowledged else { return false }
        guard let last = lastNotifiedAt else { return true }
        guard let interval = timing.repeatInterval else { return false }
        return now - last >= interval
    }

    /// Tells a firing alert when due (`reminderDue`), recording it; the timer calls it for every firing alert.
    public mutating func remind(timing: AlertTiming, muted: Bool, now: Instant) -> NoticeKind? {
        guard reminderDue(timing: timing, muted: muted, now: now) else { return nil }
        let first = lastNotifiedAt == nil
        lastNotifiedAt = now
        return first ? .firing : .reminder
    }
}
