import Beliefs
import Foundation
import Jobs
import Registry
import Site
import Testing

/// `GET /control` and `/control/{id}`: a device's plan against prices, and the form that starts the
/// same scheduling job as postUdiEvent.
@Suite struct ControlPageTests {
    /// The battery at 1 MWh now (a UDI event planned on request) and 50 hours of prices from this hour.
    func batteryWithPrices() async throws -> (InProcessConsole, Asset) {
        let console = try InProcessConsole()
        let hour = console.now.floored(to: .hours(1))
        try await console.prices(from: hour, (0..<50).map { Double(30 + ($0 % 24)) })
        let battery = try #require(try console.site.registry.asset(named: "battery"))
        try await console.site.postUDIEvent(
            UDIEventReport(asset: battery, eventID: 1, kind: .soc, unit: "MWh", value: 1, datetime: console.now.floored(to: .minutes(15)), targets: []),
            datetimes: .notEarlier, planning: .onRequest
        )
        return (console, try #require(try console.site.registry.asset(named: "battery")))
    }

    static func local(_ instant: Instant) -> String { String(instant.iso8601.prefix(16)) }

    @Test func theListShowsOnlyOnesOwnBatteriesAndChargePoints() async throws {
        let console = try InProcessConsole()
        let prosumer = try await console.signedIn("prosumer")
        let list = try await prosumer.get("/control")
        #expect(list.status == 200)
        #expect(list.text.contains(">battery</a>") && list.text.contains(">cs1</a>"))
        #expect(!list.text.contains(">solar</a>") && !list.text.contains(">theirs</a>"))
        #expect(try await console.visitor().get("/control").status == 303)
    }

    @Test func onlyOwnersAndAdminsControlAndOnlyStorage() async throws {
        let console = try InProcessConsole()
        let prosumer = try await console.signedIn("prosumer")
        let theirs = try console.id(ofAsset: "theirs"), solar = try console.id(ofAsset: "solar"), battery = try console.id(ofAsset: "battery")
        #expect(try await prosumer.get("/control/\(battery)").status == 200)
        #expect(try await prosumer.get("/control/\(theirs)").status == 403)
        #expect(try await prosumer.get("/control/\(theirs)/chart/data").status == 403)
        #expect(try await prosumer.post("/control/\(theirs)", form: ["target_value": "1", "target_datetime": "2030-01-01T00:00"]).status == 403)
        #expect(try await prosumer.get("/control/\(solar)").status == 403)
        #expect(try await prosumer.get("/control/abc").status == 404)
        #expect(try await prosumer.get("/control/-1").status == 404)
        #expect(try await console.visitor().get("/control/\(battery)").status == 303)
        let admin = try await console.signedIn("admin")
        #expect(try await admin.get("/control/\(theirs)").status == 200)
    }

    @Test func theFormWithoutItsCSRFTokenIsRefusedAndStartsNothing() async throws {
        let (console, battery) = try await batteryWithPrices()
        let prosumer = try await console.signedIn("prosumer")
        let form = ["target_value": "4", "target_datetime": Self.local(console.now + .hours(6))]
        #expect(try await prosumer.post("/control/\(battery.id)", form: form, addCSRF: false).status == 403)
        var stale = form
        stale["csrf_token"] = "not-the-token"
        #expect(try await prosumer.post("/control/\(battery.id)", form: stale).status == 403)
        #expect(try console.site.registry.asset(id: battery.id)?.fields.socUDIEventID == 1)
        #expect(try await console.site.jobs.counts(queue: .scheduling).byStatus.isEmpty)
    }

    @Test func theFormQueuesTheJobPostUdiEventQueuesAndTheScheduleAppears() async throws {
        let (console, battery) = try await batteryWithPrices()
        let prosumer = try await console.signedIn("prosumer")
        let target = console.now.floored(to: .hours(1)) + .hours(6)
        let posted = try await prosumer.post("/control/\(battery.id)", form: ["target_value": "4", "target_datetime": Self.local(target)])
        #expect(posted.status == 303, "\(posted.text)")
        #expect(posted.location == "/control/\(battery.id)")

        let asset = try #require(try console.site.registry.asset(id: battery.id))
        #expect(asset.fields.socUDIEventID == 2)
        let event = try #require(try console.site.registry.udiEvent(assetID: battery.id, eventID: 2))
        #expect(event.kind == .socWithTargets)
        #expect(event.socInMWh == 1)
        #expect(event.targets == [UDIEvent.Target(datetime: target, socInMWh: 4)])
        let jobID = try #require(event.jobID)
        let job = try #require(try await console.site.jobs.job(id: jobID))
        #expect(job.queue == .scheduling && job.kind == SchedulingJob.kind && job.status == .queued)
        let payload = try SchedulingJob.payload(assetID: battery.id, eventID: 2, horizon: console.site.settings.planningHorizon)
        #expect(job.payload == payload)
        #expect(try await console.site.jobs.counts(queue: .scheduling).byStatus[.queued] == 1)

        let waiting = try await prosumer.get("/control/\(battery.id)")
        #expect(waiting.text.contains("data-state=\"queued\""))
        #expect(waiting.text.contains("No schedule to show yet"))

        await SiteJobs.worker(for: .scheduling, site: console.site).runUntilIdle()
        let ready = try await prosumer.get("/control/\(battery.id)")
        #expect(ready.text.contains("data-state=\"finished\""), "\(ready.text)")
        let plan = try await console.site.controlPlan(of: try #require(try console.site.registry.asset(id: battery.id)))
        #expect(plan.hasSchedule)
        let atTarget = try #require(plan.slots.first { $0.start + .minutes(15) == target })
        #expect(abs((atTarget.socMWh ?? -1) - 4) < 1e-6, "the target is met: \(String(describing: atTarget.socMWh))")
        #expect(ready.text.contains("<time datetime=\"\(atTarget.start.iso8601)\">"))
        let data = try #require(try await prosumer.get("/control/\(battery.id)/chart/data").jsonList)
        #expect(data.contains { $0["panel"] as? String == "soc" })
        #expect(try await prosumer.get("/control/\(battery.id)/chart/spec").status == 200)
    }

    @Test(arguments: [
        (["target_value": "lots", "target_datetime": "+6h"], ["target_value-error"]),
        (["target_value": "lots", "target_datetime": "tomorrow"], ["target_value-error", "target_datetime-error"]),
        (["target_value": "9", "target_datetime": "+6h"], ["target_value-error"]),
        (["target_value": "nan", "target_datetime": "+6h"], ["target_value-error"]),
        (["target_value": "1e400", "target_datetime": "+6h"], ["target_value-error"]),
        (["target_value": "4", "target_datetime": "-6h"], ["target_datetime-error"]),
        (["target_value": "4", "target_datetime": "+100h"], ["target_datetime-error"]),
        (["target_value": "4", "target_datetime": "99999-01-01T00:00"], ["target_datetime-error"]),
    ])
    func invalidTargetsAreShownPerFieldAndStartNothing(form: [String: String], errors: [String]) async throws {
        let (console, battery) = try await batteryWithPrices()
        let prosumer = try await console.signedIn("prosumer")
        var sent = form
        for (key, value) in form where value.hasPrefix("+") || value.hasPrefix("-") {
            let hours = Int64(value.dropFirst().dropLast()) ?? 0
            sent[key] = Self.local(console.now + .hours(value.hasPrefix("+") ? hours : -hours))
        }
        let reply = try await prosumer.post("/control/\(battery.id)", form: sent)
        #expect(reply.status == 422)
        for error in errors { #expect(reply.text.contains("id=\"\(error)\""), "\(error) in \(reply.text)") }
        #expect(try console.site.registry.asset(id: battery.id)?.fields.socUDIEventID == 1)
        #expect(try await console.site.jobs.counts(queue: .scheduling).byStatus.isEmpty)
    }

    @Test func aDeviceWithoutAStateOfChargeSaysSo() async throws {
        let console = try InProcessConsole()
        let prosumer = try await console.signedIn("prosumer")
        let cs1 = try console.id(ofAsset: "cs1")
        let reply = try await prosumer.post("/control/\(cs1)", form: ["target_value": "1", "target_datetime": Self.local(console.now + .hours(2))])
        #expect(reply.status == 422)
        #expect(reply.text.contains("No state of charge"))
    }
}
