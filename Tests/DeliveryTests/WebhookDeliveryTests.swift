import Beliefs
import Delivery
import Foundation
import Jobs
import Site
import Testing

/// Alertmanager's webhook (version 4) to a real HTTP receiver on loopback, through the durable delivery queue.
/// The backoff passes on the test's clock, never by sleeping.
@Suite(.timeLimit(.minutes(2))) struct WebhookDeliveryTests {
    static func delivery(port: Int, sendResolved: Bool = true, retry: RetryPolicy? = nil) -> AlertDelivery {
        var delivery = AlertDelivery(
            webhook: .init(url: "http://127.0.0.1:\(port)/hooks/alerts?site=1", sendResolved: sendResolved, timeout: .seconds(30)),
            transport: NetworkTransport(smtp: nil, sender: "")
        )
        delivery.externalURL = "http://appliance.site.example:5000"
        if let retry { delivery.retry = retry }
        return delivery
    }

    static func json(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func aFiringAlertIsPostedInAlertmanagersVersion4Shape() async throws {
        let receiver = try LoopbackServer(script: "webhook_receiver.py") { [$0.path, "200"] }
        let test = try await DeliverySite.make(delivery: Self.delivery(port: receiver.port))
        try await test.measure(2)
        try await test.deliver()

        let bodies = try receiver.received()
        try #require(bodies.count == 1)
        let body = try Self.json(bodies[0])
        #expect(body["version"] as? String == "4")
        #expect(body["status"] as? String == "firing")
        #expect(body["receiver"] as? String == "flexmeasures")
        #expect(body["groupKey"] as? String == #"{}:{alertname="battery hot"}"#)
        #expect(body["truncatedAlerts"] as? Int == 0)
        #expect(body["externalURL"] as? String == "http://appliance.site.example:5000")
        #expect(body["groupLabels"] as? [String: String] == ["alertname": "battery hot"])
        #expect((body["commonLabels"] as? [String: String])?["severity"] == "critical")
        #expect(body["commonAnnotations"] is [String: String])
        let alerts = try #require(body["alerts"] as? [[String: Any]])
        try #require(alerts.count == 1)
        let alert = alerts[0]
        #expect(alert["status"] as? String == "firing")
        #expect(alert["startsAt"] as? String == "2015-06-02T09:45:00Z")
        #expect(alert["endsAt"] as? String == "0001-01-01T00:00:00Z", "Go's zero time while firing")
        #expect((alert["labels"] as? [String: String])?["alertname"] == "battery hot")
        #expect((alert["annotations"] as? [String: String])?["summary"] != nil)
        #expect(alert["generatorURL"] is String)
        let notice = try #require(try test.site.notices().first)
        #expect(alert["fingerprint"] as? String == notice.notice.fingerprint)
        #expect(notice.deliveredAt == test.clock.now())
    }

    @Test func resolvedNoticesArePostedOnlyWhenTheChannelSendsThem() async throws {
        for sendResolved in [true, false] {
            let receiver = try LoopbackServer(script: "webhook_receiver.py") { [$0.path, "200"] }
            let test = try await DeliverySite.make(delivery: Self.delivery(port: receiver.port, sendResolved: sendResolved))
            try await test.measure(2)
            try await test.deliver()
            try await test.measure(0.5)
            try await test.deliver()
            let statuses = try receiver.received().map { try Self.json($0)["status"] as? String }
            #expect(statuses == (sendResolved ? ["firing", "resolved"] : ["firing"]), "send resolved: \(sendResolved)")
            if sendResolved, statuses.count == 2 {
                let resolved = try Self.json(try receiver.received()[1])
                let alert = try #require((resolved["alerts"] as? [[String: Any]])?.first)
                #expect(alert["endsAt"] as? String != "0001-01-01T00:00:00Z")
            }
        }
    }

    @Test func noticesOfOneAlertnameHandedOverTogetherArePostedInOneMessage() async throws {
        let receiver = try LoopbackServer(script: "webhook_receiver.py") { [$0.path, "200"] }
        let test = try await DeliverySite.make(delivery: Self.delivery(port: receiver.port))
        try await test.measure(2)
        try await test.measure(0.5)
        try await test.deliver()
        let bodies = try receiver.received()
        try #require(bodies.count == 1)
        let body = try Self.json(bodies[0])
        #expect(body["status"] as? String == "firing", "firing while any of its alerts is")
        #expect((body["alerts"] as? [[String: Any]])?.map { $0["status"] as? String } == ["firing", "resolved"])
    }

    @Test func aReceiverThatFailsAtFirstGetsTheNoticeOnceItAnswersAndNothingIsLost() async throws {
        let receiver = try LoopbackServer(script: "webhook_receiver.py") { [$0.path, "500,500,200"] }
        let test = try await DeliverySite.make(delivery: Self.delivery(port: receiver.port))
        try await test.measure(2)
        try await test.deliver()

        var job = try #require(try await test.deliveryJobs().first)
        #expect(job.status == .queued && job.attempts == 1)
        #expect(job.error?.contains("HTTP 500") == true, "\(job.error ?? "")")
        #expect(job.runAfter == test.clock.now() + .seconds(30))
        await SiteJobs.worker(for: .delivery, site: test.site).runUntilIdle()
        #expect(try receiver.received().count == 1, "not before the backoff")

        test.clock.advance(by: .seconds(30))
        await SiteJobs.worker(for: .delivery, site: test.site).runUntilIdle()
        job = try #require(try await test.deliveryJobs().first)
        #expect(job.status == .queued && job.attempts == 2)
        #expect(job.runAfter == test.clock.now() + .seconds(60), "the backoff doubles")
        #expect(try test.site.undeliveredNotices().count == 1)

        test.clock.advance(by: .seconds(60))
        try await test.deliver()
        job = try #require(try await test.deliveryJobs().first)
        #expect(job.status == .finished && job.attempts == 3)
        let bodies = try receiver.received()
        #expect(bodies.count == 3, "two refused posts and the one taken")
        #expect(Set(bodies).count == 1, "the same message each time")
        #expect(try test.site.undeliveredNotices().isEmpty)
        #expect(try await test.deliveryJobs().count == 1, "one job, never a second copy of the notice")
    }

    @Test func aReceiverThatNeverAnswersLeavesAFailedJobWithTheReason() async throws {
        let receiver = try LoopbackServer(script: "webhook_receiver.py") { [$0.path, "503"] }
        let retry = RetryPolicy(maximumAttempts: 3, initialDelay: .seconds(10), maximumDelay: .minutes(1))
        let test = try await DeliverySite.make(delivery: Self.delivery(port: receiver.port, retry: retry))
        try await test.measure(2)
        for _ in 0..<3 {
            try await test.deliver()
            test.clock.advance(by: .minutes(1))
        }
        let job = try #require(try await test.deliveryJobs().first)
        #expect(job.status == .failed && job.attempts == 3)
        #expect(job.error?.contains("HTTP 503") == true)
        #expect(try receiver.received().count == 3)
        #expect(try await test.site.jobs.jobs(queue: .delivery, status: .failed).count == 1, "kept, listed by `flexmeasures jobs`")
        #expect(try test.site.undeliveredNotices().count == 1, "the notice stays undelivered in the outbox")
    }

    @Test func aNoticeIsHandedOverOnceAlsoAcrossARestart() async throws {
        let receiver = try LoopbackServer(script: "webhook_receiver.py") { [$0.path, "200"] }
        let test = try await DeliverySite.make(delivery: Self.delivery(port: receiver.port))
        try await test.measure(2)
        #expect(try await test.site.dispatchAlertNotices().count == 1)
        #expect(try await test.site.dispatchAlertNotices().isEmpty)
        let restarted = try test.reopened(delivery: Self.delivery(port: receiver.port))
        #expect(try await restarted.site.dispatchAlertNotices().isEmpty)
        await SiteJobs.worker(for: .delivery, site: restarted.site).runUntilIdle()
        #expect(try receiver.received().count == 1)
    }

    @Test func withoutChannelsNoticesWaitInTheOutbox() async throws {
        let test = try await DeliverySite.make(delivery: nil)
        try await test.measure(2)
        #expect(try await test.site.dispatchAlertNotices().isEmpty)
        #expect(try test.site.undeliveredNotices().count == 1)
        #expect(try await test.deliveryJobs().isEmpty)
    }

    @Test func aConnectionRefusedIsAFailureNamingTheReceiver() async throws {
        // A port that was free a moment ago: nothing listens there.
        let port = try LoopbackServer(script: "webhook_receiver.py") { [$0.path, "200"] }.port
        let client = try WebhookClient(url: "http://127.0.0.1:\(port)/", timeout: .seconds(2))
        do {
            try await client.post(json: Data("{}".utf8))
            Issue.record("posted to a closed port")
        } catch {
            #expect(error.step == .connect)
            #expect(error.description.contains("127.0.0.1:\(port)"))
        }
    }
}
