import Alerting
import Beliefs

let t0 = Instant(secondsSinceEpoch: 1_433_239_200) // 2015-06-02T10:00:00Z
let quarter = Timespan.minutes(15)

/// Quarter-hourly observations from `t0` (or `start`).
func series(_ values: [Double], from start: Instant = t0, step: Timespan = quarter) -> [Observation] {
    values.enumerated().map { Observation(eventStart: start + step * Int64($0.offset), value: $0.element) }
}

/// Runs verdicts through a fresh (or given) alert, collecting its states and notices.
func run(
    _ verdicts: [TimedVerdict], timing: AlertTiming = AlertTiming(), status: AlertStatus = AlertStatus(),
    muted: Bool = false, now: Instant = t0
) -> (status: AlertStatus, states: [AlertState], notices: [NoticeKind]) {
    var current = status
    var states: [AlertState] = []
    var notices: [NoticeKind] = []
    for verdict in verdicts {
        if let notice = current.apply(verdict, timing: timing, muted: muted, now: now) { notices.append(notice) }
        states.append(current.state)
    }
    return (current, states, notices)
}
