import Beliefs
import Jobs
import Registry
import Site
import Testing

/// `Site.postUDIEvent`: an event is checked against the asset's latest one and the planning horizon, then
/// recorded in MWh with the scheduling job that plans it, in one transaction.
@Suite struct UDIEventTests {
    func report(_ test: TestSite, id: Int64, kind: UDIEvent.Kind = .soc, unit: String? = "kWh", value: Double = 1210,
                at datetime: String = "2015-06-02T10:00:00Z", targets: [UDIEventReport.Target] = []) throws -> UDIEventReport {
        UDIEventReport(
            asset: try test.current(test.battery), eventID: id, kind: kind, unit: unit, value: value, datetime: instant(datetime),
            targets: targets
        )
    }

    @Test func anEventSetsTheStateOfChargeInMWhAndQueuesItsJob() async throws {
        let test = try TestSite()
        let targets = [UDIEventReport.Target(datetime: instant("2015-06-02T16:00:00Z"), value: 4500)]
        try await test.site.postUDIEvent(try report(test, id: 3, kind: .socWithTargets, targets: targets), datetimes: .notEarlier, planning: .byJob)
        let asset = try test.current(test.battery)
        #expect(asset.fields.socUDIEventID == 3)
        #expect(asset.fields.socInMWh == 1.21)
        let event = try #require(try test.site.registry.udiEvent(assetID: asset.id, eventID: 3))
        #expect(event.targets == [UDIEvent.Target(datetime: instant("2015-06-02T16:00:00Z"), socInMWh: 4.5)])
        let jobID = try #require(event.jobID)
        let job = try #require(try await test.site.jobs.job(id: jobID))
        #expect(job.queue == .scheduling && job.kind == SchedulingJob.kind)
    }

    @Test func planningOnRequestQueuesNoJob() async throws {
        let test = try TestSite()
        try await test.site.postUDIEvent(try report(test, id: 1, unit: "MWh", value: 2), datetimes: .later, planning: .onRequest)
        #expect(try test.site.registry.udiEvent(assetID: test.battery.id, eventID: 1)?.jobID == nil)
        #expect(try test.current(test.battery).fields.socInMWh == 2)
        #expect(try await test.site.jobs.counts(queue: .scheduling).byStatus.isEmpty)
    }

    @Test func eventIDsMustIncrease() async throws {
        let test = try TestSite()
        try await test.site.postUDIEvent(try report(test, id: 5), datetimes: .notEarlier, planning: .byJob)
        for id: Int64 in [5, 4] {
            let error = await #expect(throws: UDIEventError.self) {
                try await test.site.postUDIEvent(try report(test, id: id), datetimes: .notEarlier, planning: .byJob)
            }
            #expect(error?.reason == .outdated)
        }
    }

    @Test func theSameEventTwiceAtOnceIsOutdatedNotAFailure() async throws {
        let test = try TestSite()
        // Both were checked against the asset before either was recorded.
        let first = try report(test, id: 8)
        let second = try report(test, id: 8)
        try await test.site.postUDIEvent(first, datetimes: .notEarlier, planning: .byJob)
        let error = await #expect(throws: UDIEventError.self) {
            try await test.site.postUDIEvent(second, datetimes: .notEarlier, planning: .byJob)
        }
        #expect(error?.reason == .outdated)
        #expect(try await test.site.jobs.counts(queue: .scheduling).byStatus[.queued] == 1, "the refused event queued nothing")
    }

    @Test(arguments: [(UDIEventReport.DatetimeRule.later, false), (.notEarlier, true)])
    func theSameDatetimeAgainIsAcceptedOnlyWhenTheRuleSays(rule: UDIEventReport.DatetimeRule, accepted: Bool) async throws {
        let test = try TestSite()
        try await test.site.postUDIEvent(try report(test, id: 1), datetimes: rule, planning: .onRequest)
        let again = try report(test, id: 2)
        if accepted {
            try await test.site.postUDIEvent(again, datetimes: rule, planning: .onRequest)
        } else {
            let error = await #expect(throws: UDIEventError.self) { try await test.site.postUDIEvent(again, datetimes: rule, planning: .onRequest) }
            #expect(error?.reason == .datetime)
        }
        let earlier = try report(test, id: 3, at: "2015-06-02T09:00:00Z")
        let error = await #expect(throws: UDIEventError.self) { try await test.site.postUDIEvent(earlier, datetimes: rule, planning: .onRequest) }
        #expect(error?.reason == .datetime)
    }

    @Test(arguments: [nil, "%", "MW"])
    func theStateOfChargeIsInKWhOrMWh(unit: String?) async throws {
        let test = try TestSite()
        let error = await #expect(throws: UDIEventError.self) {
            try await test.site.postUDIEvent(try report(test, id: 1, unit: unit), datetimes: .notEarlier, planning: .byJob)
        }
        #expect(error?.reason == .unit)
        #expect(error?.description.contains("kWh or MWh") == true)
        #expect(try test.current(test.battery).fields.socUDIEventID == nil, "nothing recorded")
    }

    @Test func targetsBeyondThePlanningHorizonAreRefused() async throws {
        let test = try TestSite()
        let targets = [UDIEventReport.Target(datetime: instant("2015-06-04T10:00:01Z"), value: 1000)]
        let error = await #expect(throws: UDIEventError.self) {
            try await test.site.postUDIEvent(try report(test, id: 1, kind: .socWithTargets, targets: targets), datetimes: .notEarlier, planning: .byJob)
        }
        #expect(error?.reason == .datetime)
        #expect(error?.description.contains("Maximum scheduling horizon is P2D") == true, "\(String(describing: error))")
        #expect(try await test.site.jobs.counts(queue: .scheduling).byStatus.isEmpty)
    }
}
