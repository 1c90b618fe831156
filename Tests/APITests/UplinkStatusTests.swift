import API
import Beliefs
import Foundation
import Registry
import Site
import Testing

/// The fleet uplink in `/api/health` and `/metrics`: null and absent without one; with one, its backlog
/// (beliefs and age), last success, last attempt and error, and forwarded beliefs; never a 503 for it.
@Suite struct UplinkStatusTests {
    /// A site whose uplink journal runs, with two measurements of the battery stored after it started: a
    /// backlog of three beliefs (the stream's opening deletion counts as one). The API's clock runs an hour
    /// ahead of the site's, so that the backlog is an hour old when asked.
    static func siteWithBacklog() async throws -> (InProcessSite, stream: String) {
        let clock = MovableClock()
        let site = try InProcessSite(clock: clock.now)
        #expect(try site.services.site.startUplinkJournal())
        let battery = try #require(try site.services.registry.asset(named: "battery"))
        let owner = try #require(try site.services.registry.user(email: "prosumer@example.com"))
        let start = Instant.now().floored(to: .minutes(15)) - .hours(1)
        let beliefs = (0..<2).map { slot in
            Belief(sensorID: battery.id, eventStart: start + .minutes(Int64(15 * slot)), beliefTime: start + .minutes(Int64(15 * slot + 15)), sourceID: 0, value: 1)
        }
        _ = try await site.services.site.ingest(beliefs, from: .user(id: owner.id, name: owner.username))
        clock.advance(by: .hours(1))
        let stream = try #require(try site.services.site.uplinkStatus()).streamID
        return (site, stream)
    }

    static let failedAt = Instant(secondsSinceEpoch: 1_780_000_000)
    static let forwardedAt = Instant(secondsSinceEpoch: 1_780_000_060)
    static let hostileError = #"forwarding to postgres://fleet@central:5432/fleet: <script>alert("x")</script>"#

    @Test func healthSaysUplinkNullWithoutOne() async throws {
        let site = try InProcessSite()
        let reply = try await site.send("GET", "/api/health", as: nil)
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.json?["status"] as? String == "ok")
        #expect(reply.json?["database_writable"] as? Bool == true)
        #expect(reply.json?["queues"] is [String: Any], "what it said before stays")
        #expect(reply.json?.keys.contains("uplink") == true && reply.json?["uplink"] is NSNull, "\(reply.text)")
    }

    @Test func healthShowsTheBacklogAndTheLastErrorWithoutTurningUnhealthy() async throws {
        let (site, stream) = try await Self.siteWithBacklog()
        try await site.services.store.markForwardingFailed(Self.hostileError, streamID: stream, at: Self.failedAt)
        let reply = try await site.send("GET", "/api/health", as: nil)
        #expect(reply.status == 200, "a failing uplink leaves the site healthy: \(reply.text)")
        #expect(reply.json?["status"] as? String == "ok")
        let uplink = try #require(reply.json?["uplink"] as? [String: Any], "\(reply.text)")
        #expect(uplink["stream_id"] as? String == stream)
        #expect(uplink["backlog_beliefs"] as? Int == 3, "\(uplink)")
        #expect((uplink["backlog_entries"] as? Int ?? 0) >= 2, "\(uplink)")
        let age = try #require(uplink["backlog_age_seconds"] as? Double)
        #expect(age >= 3600 && age < 3660, "\(age)")
        #expect(uplink["oldest_waiting"] is String)
        #expect(uplink["last_success"] is NSNull)
        #expect(uplink["last_attempt"] as? String == Self.failedAt.iso8601)
        #expect(uplink["last_attempt_succeeded"] as? Bool == false)
        #expect(uplink["last_error"] as? String == Self.hostileError)
        #expect(uplink["forwarded_beliefs"] as? Int == 0)
    }

    @Test func healthShowsTheLastSuccessOnceTheBacklogIsForwarded() async throws {
        let (site, stream) = try await Self.siteWithBacklog()
        try await site.services.store.markForwardingFailed(Self.hostileError, streamID: stream, at: Self.failedAt)
        let last = try site.services.store.journalBacklog(after: 0).lastSequence
        #expect(try await site.services.store.markForwarded(through: last, beliefs: 3, streamID: stream, at: Self.forwardedAt))
        let reply = try await site.send("GET", "/api/health", as: nil)
        let uplink = try #require(reply.json?["uplink"] as? [String: Any], "\(reply.text)")
        #expect(uplink["backlog_beliefs"] as? Int == 0)
        #expect(uplink["backlog_entries"] as? Int == 0)
        #expect(uplink["backlog_age_seconds"] as? Double == 0)
        #expect(uplink["oldest_waiting"] is NSNull)
        #expect(uplink["last_success"] as? String == Self.forwardedAt.iso8601)
        #expect(uplink["last_attempt"] as? String == Self.forwardedAt.iso8601)
        #expect(uplink["last_attempt_succeeded"] as? Bool == true)
        #expect(uplink["last_error"] is NSNull)
        #expect(uplink["forwarded_beliefs"] as? Int == 3)
    }

    @Test func metricsHaveNoUplinkSeriesWithoutOne() async throws {
        let site = try InProcessSite()
        let reply = try await site.send("GET", "/metrics", as: nil)
        #expect(reply.status == 200)
        #expect(reply.text.contains("flexmeasures_jobs{"), "the other metrics stay")
        #expect(!reply.text.contains("flexmeasures_uplink_"), "\(reply.text)")
    }

    @Test func metricsShowTheBacklogAndAFailingUplink() async throws {
        let (site, stream) = try await Self.siteWithBacklog()
        try await site.services.store.markForwardingFailed(Self.hostileError, streamID: stream, at: Self.failedAt)
        let text = try await site.send("GET", "/metrics", as: nil).text
        let samples = Self.samples(text)
        #expect(samples["flexmeasures_uplink_up"] == 0, "\(text)")
        #expect(samples["flexmeasures_uplink_backlog_beliefs"] == 3)
        let age = try #require(samples["flexmeasures_uplink_backlog_age_seconds"])
        #expect(age >= 3600 && age < 3660, "\(age)")
        #expect(samples["flexmeasures_uplink_last_success_timestamp_seconds"] == 0, "0 before the first success")
        #expect(samples["flexmeasures_uplink_forwarded_beliefs_total"] == 0)
        #expect(text.contains("\n# HELP flexmeasures_uplink_up "), "on a line of its own after the registry's: \(text)")
        #expect(text.contains("\n# TYPE flexmeasures_uplink_backlog_beliefs gauge\n"))
        #expect(text.contains("\n# TYPE flexmeasures_uplink_forwarded_beliefs_total counter\n"))
        #expect(!text.contains("<script>"), "the error is health's and the console's, not a label")
    }

    @Test func metricsShowTheLastSuccess() async throws {
        let (site, stream) = try await Self.siteWithBacklog()
        let last = try site.services.store.journalBacklog(after: 0).lastSequence
        #expect(try await site.services.store.markForwarded(through: last, beliefs: 3, streamID: stream, at: Self.forwardedAt))
        let samples = Self.samples(try await site.send("GET", "/metrics", as: nil).text)
        #expect(samples["flexmeasures_uplink_up"] == 1)
        #expect(samples["flexmeasures_uplink_backlog_beliefs"] == 0)
        #expect(samples["flexmeasures_uplink_backlog_age_seconds"] == 0)
        #expect(samples["flexmeasures_uplink_last_success_timestamp_seconds"] == Double(1_780_000_060))
        #expect(samples["flexmeasures_uplink_forwarded_beliefs_total"] == 3)
    }

    /// The unlabelled samples of an exposition by name.
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.contains("{") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let value = Double(parts[1]) { samples[String(parts[0])] = value }
        }
        return samples
    }
}
