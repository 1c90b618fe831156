import Alerting
import Beliefs
import Hummingbird
import Registry
import Site

/// The alerts of the assets a user may see (all for an administrator): state, value, since when; and
/// acknowledging or silencing one.
enum AlertPages {
    /// The alerts and rules a page lists at most (the newest first): the Site reads no more than that.
    static let shown = Paging(page: 1, perPage: 500)!

    static func add(to router: Router<ConsoleContext>, services: ConsoleServices, pages: PageRenderer) {
        router.get("/alerts") { request, context in
            let session = try context.requireSession(request)
            let state = request.uri.queryParameters["state"].flatMap { AlertState(rawValue: String($0)) }
            let states: Set<AlertState> = state.map { [$0] } ?? [.pending, .firing]
            let alerts = try services.site.alerts(visibleTo: session.user, states: states, page: shown)
            let sensorNames = Dictionary(try services.site.assets(for: session.user).map { ($0.id, $0.fields.displayName) }, uniquingKeysWith: { a, _ in a })
            let rows = alerts.items.map { alert -> [String: Any] in
                var row: [String: Any] = [
                    "id": alert.id, "rule": alert.ruleName, "severity": alert.severity.rawValue, "state": alert.state.rawValue,
                    "silenced": alert.silenced, "subject": subject(of: alert, sensorNames: sensorNames),
                    "value": alert.value.map { Formatting.number($0) } ?? "", "open": alert.state.isActive,
                    "csrfToken": session.csrfToken,
                ]
                if let since = alert.activeSince {
                    row["since"] = Formatting.iso(since)
                    row["sinceText"] = Formatting.readable(since)
                }
                if let ack = alert.acknowledgement {
                    row["ackBy"] = ack.by
                    row["ackComment"] = ack.comment
                }
                return row
            }
            let rules = try services.site.alertRules(visibleTo: session.user, page: shown).items.map { rule -> [String: Any] in
                ["name": rule.name, "kind": rule.kind.rawValue, "severity": rule.severity.rawValue, "enabled": rule.enabled]
            }
            let values: [String: Any] = [
                "alerts": rows, "count": alerts.total, "rules": rules,
                "stateChoices": AlertState.allCases.map { ["value": $0.rawValue, "selected": $0 == state] },
            ]
            return pages.page("alerts", title: "Alerts", section: .alerts, session: session, values: values)
        }
        router.post("/alerts/{id}/acknowledge") { request, context in
            let (session, form) = try await context.form(request)
            let comment = String((form.text("comment") ?? "").prefix(500))
            _ = try await services.site.acknowledgeAlert(id: try alertID(context), comment: comment, by: session.user)
            return ConsoleRedirect(to: "/alerts").response
        }
        router.post("/alerts/{id}/silence") { request, context in
            let (session, form) = try await context.form(request)
            guard let hours = form.text("hours").flatMap(Int64.init), (1...720).contains(hours) else {
                throw ConsoleError.unprocessable("Silence an alert for 1 to 720 hours.")
            }
            let comment = String((form.text("comment") ?? "silenced in the console").prefix(500))
            _ = try await services.site.silenceAlert(id: try alertID(context), for: .hours(hours), comment: comment, by: session.user)
            return ConsoleRedirect(to: "/alerts").response
        }
    }

    /// What an alert watches, in words: a sensor's asset by name; a data source or queue by its label (their
    /// subject ids are no sensor ids); the uplink.
    static func subject(of alert: Alert, sensorNames: [Int64: String]) -> String {
        if alert.kind.watchesSensors {
            return sensorNames[alert.subjectID] ?? alert.labels["sensor"] ?? String(alert.subjectID)
        }
        if alert.kind == .uplinkStuck { return "uplink" }
        return alert.labels["source"] ?? alert.labels["queue"] ?? String(alert.subjectID)
    }

    static func alertID(_ context: ConsoleContext) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw ConsoleError.notFound("There is no such alert.")
        }
        return id
    }
}
