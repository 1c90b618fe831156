/// Where an alert is in its life, as Prometheus and Grafana name it: `inactive` (its condition does not
/// hold), `pending` (it holds, but not yet for the rule's `for`), `firing`, and `resolved` (it fired and no
/// longer holds; a later breach starts it over).
public enum AlertState: String, CaseIterable, Sendable, Hashable {
    case inactive, pending, firing, resolved

    /// Whether the condition was holding as of the last verdict (what a verdict in the hysteresis band keeps).
    public var isActive: Bool { self == .pending || self == .firing }
}

/// How urgent an alert is; a label of every notice (`severity`).
public enum AlertSeverity: String, CaseIterable, Sendable, Hashable {
    case info, warning, critical
}
