import Beliefs
import Hummingbird
import Site

/// `GET /uplink`: how the fleet uplink stands (whether one is configured, what waits and for how long, the last
/// success, attempt and error, the stream), for every signed-in user, as the dashboard is: it shows counts and
/// times of the whole site, no one's data, and never the central server's credentials.
enum UplinkPage {
    static func add(to router: Router<ConsoleContext>, services: ConsoleServices, pages: PageRenderer) {
        router.get("/uplink") { request, context in
            let session = try context.requireSession(request)
            let shown = try services.site.uplinkStatus().map { values(of: $0, at: services.clock()) } ?? ["configured": false]
            return pages.page("uplink", title: "Uplink", section: .uplink, session: session, values: shown)
        }
    }

    static func values(of status: UplinkStatus, at now: Instant) -> [String: Any] {
        var values: [String: Any] = [
            "configured": true, "streamID": status.streamID,
            "started": Formatting.iso(status.started), "startedText": Formatting.readable(status.started),
            "backlogBeliefs": status.backlogBeliefs, "backlogEntries": status.backlogEntries,
            "forwarded": status.forwardedBeliefs,
            "succeeded": status.lastAttemptSucceeded == true, "failed": status.lastAttemptSucceeded == false,
            "untried": status.lastAttemptSucceeded == nil,
        ]
        if let oldest = status.oldestWaiting {
            values["oldest"] = Formatting.iso(oldest)
            values["oldestText"] = Formatting.readable(oldest)
            values["age"] = Formatting.age(status.backlogAge(at: now))
        }
        if let success = status.lastForwarded {
            values["lastSuccess"] = Formatting.iso(success)
            values["lastSuccessText"] = Formatting.readable(success)
        }
        if let attempt = status.lastAttempt {
            values["lastAttempt"] = Formatting.iso(attempt)
            values["lastAttemptText"] = Formatting.readable(attempt)
        }
        if let error = status.lastError { values["lastError"] = error }
        return values
    }
}
