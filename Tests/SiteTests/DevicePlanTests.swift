import Beliefs
import Jobs
import Registry
@testable import Site
import Testing

/// `Site.devicePlan`: the plan of a UDI event's device, made on request or read from its job, and why
/// there is none (yet).
@Suite struct DevicePlanTests {
    func postEvent(_ test: TestSite, id: Int64, planning: DevicePlanning, targets: [UDIEventReport.Target] = []) async throws -> UDIEvent {
        let report = UDIEventReport(
            asset: try test.current(test.battery), eventID: id, kind: targets.isEmpty ? .soc : .socWithTargets, unit: "MWh", value: 1,
            datetime: instant("2015-06-02T10:00:00Z"), targets: targets
        )
        try await test.site.postUDIEvent(report, datetimes: .notEarlier, planning: planning)
        return try #require(try test.site.registry.udiEvent(assetID: test.battery.id, eventID: id))
    }

    func plan(_ test: TestSite, _ event: UDIEvent, _ planning: DevicePlanning) async throws -> SchedulingJob.Plan {
        try await test.site.devicePlan(for: event, of: try test.current(test.battery), planning: planning)
    }

    @Test func onRequestThePlanIsMadeNowAndNeedsPrices() async throws {
        let test = try TestSite()
        let event = try await postEvent(test, id: 1, planning: .onRequest)
        let error = await #expect(throws: DevicePlanError.self) { try await plan(test, event, .onRequest) }
        #expect(error?.reason == .unknownPrices)
        #expect(error?.description.hasPrefix("Missing prices for this time period: ") == true)
        try await test.postPrices()
        let planned = try await plan(test, event, .onRequest)
        #expect(planned.start == instant("2015-06-02T10:00:00Z"))
        // Prices until 2015-06-04T00:00Z: 38 hours of quarter hours from 10:00.
        #expect(planned.values.count == 152)
    }

    @Test func byJobThePlanIsTheJobsResultOnceItHasFinished() async throws {
        let test = try TestSite()
        try await test.postPrices()
        let event = try await postEvent(test, id: 1, planning: .byJob)
        let waiting = await #expect(throws: DevicePlanError.self) { try await plan(test, event, .byJob) }
        #expect(waiting?.reason == .waiting)
        #expect(waiting?.description == "No known schedule for this time period. Scheduling job waiting to be processed.")
        await test.runQueuedJobs()
        let planned = try await plan(test, event, .byJob)
        #expect(planned.values.count == 152)
        #expect(try test.beliefs(of: test.battery.id).count == 152, "the plan is stored as beliefs too")
    }

    @Test func aFailedJobGivesItsReason() async throws {
        let test = try TestSite()
        let event = try await postEvent(test, id: 1, planning: .byJob)
        await test.runQueuedJobs()
        let error = await #expect(throws: DevicePlanError.self) { try await plan(test, event, .byJob) }
        #expect(error?.reason == .failed)
        #expect(error?.description.hasPrefix("Scheduling job failed: ") == true)
        #expect(error?.description.contains("prices unknown") == true, "\(String(describing: error))")
    }

    @Test func anEventWhoseJobIsGoneHasExpired() async throws {
        let test = try TestSite()
        let event = try await postEvent(test, id: 1, planning: .onRequest)
        let error = await #expect(throws: DevicePlanError.self) { try await plan(test, event, .byJob) }
        #expect(error?.reason == .expired)
    }

    @Test func aPlanCutToADurationKeepsTheSlotsThatCoverIt() {
        let plan = SchedulingJob.Plan(start: instant("2015-06-02T10:00:00Z"), resolution: .minutes(15), values: [1, 2, 3, 4])
        #expect(plan.prefix(covering: nil) == plan)
        #expect(plan.prefix(covering: .minutes(30)).values == [1, 2])
        #expect(plan.prefix(covering: .minutes(31)).values == [1, 2, 3])
        #expect(plan.prefix(covering: .hours(5)).values == [1, 2, 3, 4])
    }
}

extension DevicePlanTests {
    @Test func onlyTheAssetsLatestEventIsFound() async throws {
        let test = try TestSite()
        _ = try await postEvent(test, id: 1, planning: .onRequest)
        let report = UDIEventReport(
            asset: try test.current(test.battery), eventID: 2, kind: .soc, unit: "MWh", value: 1, datetime: instant("2015-06-02T11:00:00Z"), targets: []
        )
        try await test.site.postUDIEvent(report, datetimes: .notEarlier, planning: .onRequest)
        let battery = try test.current(test.battery)
        #expect(try test.site.latestUDIEvent(1, of: battery) == nil)
        #expect(try test.site.latestUDIEvent(2, of: battery)?.datetime == instant("2015-06-02T11:00:00Z"))
        #expect(try test.site.latestUDIEvent(3, of: battery) == nil)
    }
}
