import Beliefs
import Foundation

/// One group of notices as Prometheus Alertmanager sends it: the webhook's JSON (version 4) and the text of
/// its default mail. Notices are grouped by `alertname`, Alertmanager's default `group_by`.
///
/// The webhook body: `{"version": "4", "groupKey": "{}:{alertname=\"...\"}", "truncatedAlerts": 0,
/// "status": "firing" | "resolved", "receiver", "groupLabels", "commonLabels", "commonAnnotations",
/// "externalURL", "alerts": [{"status", "labels", "annotations", "startsAt", "endsAt", "generatorURL",
/// "fingerprint"}]}`; a firing alert's `endsAt` is Go's zero time, "0001-01-01T00:00:00Z". The group is
/// firing while any of its alerts is.
public struct AlertmanagerMessage: Sendable {
    public let notices: [AlertNotice]
    public let receiver: String
    public let externalURL: String

    public init(notices: [AlertNotice], receiver: String, externalURL: String) {
        self.notices = notices
        self.receiver = receiver
        self.externalURL = externalURL
    }

    static let zeroTime = "0001-01-01T00:00:00Z"

    public var status: AlertNotice.Status { notices.contains { $0.status == .firing } ? .firing : .resolved }

    public var groupLabels: [String: String] {
        notices.first?.labels["alertname"].map { ["alertname": $0] } ?? [:]
    }

    /// The labels (or annotations) every notice has with the same value.
    static func common(_ maps: [[String: String]]) -> [String: String] {
        guard var common = maps.first else { return [:] }
        for map in maps.dropFirst() {
            common = common.filter { map[$0.key] == $0.value }
        }
        return common
    }

    public var commonLabels: [String: String] { Self.common(notices.map(\.labels)) }

    public var groupKey: String {
        let pairs = groupLabels.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quoted($0.value))" }
        return "{}:{\(pairs.joined(separator: ", "))}"
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The webhook's JSON body, keys sorted.
    public func webhookJSON() throws -> Data {
        struct Alert: Encodable {
            let status: String
            let labels: [String: String]
            let annotations: [String: String]
            let startsAt: String
            let endsAt: String
            let generatorURL: String
            let fingerprint: String
        }
        struct Body: Encodable {
            let version = "4"
            let groupKey: String
            let truncatedAlerts = 0
            let status: String
            let receiver: String
            let groupLabels: [String: String]
            let commonLabels: [String: String]
            let commonAnnotations: [String: String]
            let externalURL: String
            let alerts: [Alert]
        }
        let body = Body(
            groupKey: groupKey, status: status.rawValue, receiver: receiver, groupLabels: groupLabels,
            commonLabels: commonLabels, commonAnnotations: Self.common(notices.map(\.annotations)), externalURL: externalURL,
            alerts: notices.map { notice in
                Alert(
                    status: notice.status.rawValue, labels: notice.labels, annotations: notice.annotations,
                    startsAt: notice.startsAt.iso8601, endsAt: notice.endsAt?.iso8601 ?? Self.zeroTime,
                    generatorURL: externalURL.isEmpty ? "" : externalURL + "/api/v2_0/alerts",
                    fingerprint: notice.fingerprint
                )
            }
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(body)
    }

    /// The mail's subject, as Alertmanager's default: "[FIRING:2] battery hot (critical asset=...)", the
    /// label values beyond `alertname` that all alerts share in brackets; "[RESOLVED] ..." once all resolved.
    public var mailSubject: String {
        let firing = notices.filter { $0.status == .firing }.count
        let head = status == .firing ? "[FIRING:\(firing)]" : "[RESOLVED]"
        let name = groupLabels["alertname"] ?? "alert"
        let others = commonLabels.filter { $0.key != "alertname" }.sorted { $0.key < $1.key }.map(\.value)
        return "\(head) \(name)" + (others.isEmpty ? "" : " (\(others.joined(separator: " ")))")
    }

    /// The mail's text: per alert its summary, description, times and labels, firing ones first.
    public var mailBody: String {
        var lines: [String] = []
        for (title, status) in [("Firing", AlertNotice.Status.firing), ("Resolved", .resolved)] {
            let group = notices.filter { $0.status == status }
            guard !group.isEmpty else { continue }
            lines.append("\(title) (\(group.count)):")
            lines.append("")
            for notice in group {
                lines.append("* \(notice.annotations["summary"] ?? notice.labels["alertname"] ?? "alert")")
                if let description = notice.annotations["description"] { lines.append("  \(description)") }
                lines.append("  Started: \(notice.startsAt.iso8601)")
                if let end = notice.endsAt { lines.append("  Ended: \(end.iso8601)") }
                lines.append("  Labels:")
                for (name, value) in notice.labels.sorted(by: { $0.key < $1.key }) { lines.append("    \(name) = \(value)") }
                let others = notice.annotations.filter { $0.key != "summary" && $0.key != "description" }
                for (name, value) in others.sorted(by: { $0.key < $1.key }) { lines.append("  \(name): \(value)") }
                lines.append("  Fingerprint: \(notice.fingerprint)")
                lines.append("")
            }
        }
        if !externalURL.isEmpty { lines.append("Alerts: \(externalURL)/api/v2_0/alerts") }
        lines.append("Sent by the FlexMeasures appliance (\(receiver)).")
        return lines.joined(separator: "\n")
    }
}
