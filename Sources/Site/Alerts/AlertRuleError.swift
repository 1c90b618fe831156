/// Why the site refused a request about alert rules, alerts or silences; nothing was changed.
public typealias AlertError = SiteError<AlertProblem>

public enum AlertProblem: Sendable, Hashable {
    /// Fields to fix, by name (the API answers 422 with them).
    case invalid(fields: [String: [String]])
    /// No such rule, alert or silence (or not one the user may see).
    case notFound
    /// The user may see it but not change it: only admins manage rules beyond their own assets.
    case forbidden
    /// A budget is used up: the site's rules or silences in force, or a user's share of them (`limit`).
    case tooMany(limit: Int)
}

extension SiteError where Reason == AlertProblem {
    static func invalid(_ fields: [String: [String]], _ what: String) -> AlertError {
        let detail = fields.keys.sorted().map { "\($0): \(fields[$0]!.joined(separator: " "))" }.joined(separator: "; ")
        return AlertError(.invalid(fields: fields), "\(what) has invalid fields (\(detail)); nothing was changed")
    }
}
