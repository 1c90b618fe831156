import BeliefStore
import Beliefs
import Foundation
import Jobs
import Registry
import Site
import SiteDatabase
import Testing
import TestSupport

/// `Site.addDemoSite`: a charging hub with weeks of data up to the clock's now, the PV and weather the
/// measured data shipped in data/demo, forecasts and a schedule queued.
@Suite struct DemoSiteTests {
    /// A Tuesday afternoon: tomorrow's day-ahead prices are out.
    static let afternoon = instant("2026-03-10T13:07:42Z")

    /// A site on a fresh database (no structure: the demo makes it) at `now`.
    final class EmptySite {
        let file: TemporaryDatabase
        let site: Site

        init(now: Instant = DemoSiteTests.afternoon, settings: Site.Settings = Site.Settings()) throws {
            file = try TemporaryDatabase()
            let database = try SiteDatabase(path: file.path, migrations: SiteSchema.migrations)
            site = Site(database: database, bcryptCost: 4, settings: settings, clock: { now })
        }
    }

    /// The repository's copy of the shipped data (what scripts/embed-demo-data.py puts in the binary).
    static func shippedCSV() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("data/demo/pv_serf_east_demo.csv"), encoding: .utf8)
    }

    func beliefs(_ site: Site, _ sensor: SensorID, from start: Instant, to end: Instant) throws -> [Belief] {
        try site.store.beliefs(sensorID: sensor, from: start, to: end).sorted { $0.eventStart < $1.eventStart }
    }

    @Test func theEmbeddedDataIsTheShippedCSV() throws {
        let embedded = try DemoSiteData.shipped()
        let file = try DemoSiteData.parse(try Self.shippedCSV())
        #expect(embedded.start == instant("2016-07-02T00:00:00Z"))
        #expect(embedded.days == 57)
        #expect(embedded.acPowerInW == file.acPowerInW)
        #expect(embedded.irradianceInWPerSquareMetre == file.irradianceInWPerSquareMetre)
        #expect(embedded.airTemperatureInCelsius == file.airTemperatureInCelsius)
    }

    @Test func theDemoSiteHasEveryAssetOfAChargingHub() async throws {
        let test = try EmptySite()
        let report = try await test.site.addDemoSite(DemoSiteRequest(weeks: 1, password: "demo-password"))
        let assets = try test.site.registry.assets()
        #expect(assets.map(\.fields.assetTypeName).sorted() == ["battery", "building", "one-way_evse", "one-way_evse", "one-way_evse", "one-way_evse", "solar"])
        #expect(Set(assets.map(\.id)) == Set(report.assets.map(\.id)))
        let user = try #require(try test.site.registry.user(email: DemoSiteRequest.defaultEmail))
        #expect(user.roles == [.prosumer])
        #expect(PasswordHasher.verify("demo-password", against: user.passwordHash))
        #expect(assets.allSatisfy { $0.fields.ownerID == user.id && $0.fields.marketID == report.market.id })
        let battery = try #require(assets.first { $0.fields.assetTypeName == "battery" })
        #expect(battery.fields.minSOCInMWh == 0.02 && battery.fields.maxSOCInMWh == 0.2)
        #expect(battery.fields.chargingEfficiency == 0.95 && battery.fields.dischargingEfficiency == 0.95)
        #expect(try test.site.registry.weatherSensors().map(\.weatherSensorTypeName).sorted() == ["radiation", "temperature"])
        // One place, spread a little: every asset within 250 m of the hub's centre, no two on one spot.
        let distances = assets.map { distanceInMetres($0.fields.latitude, $0.fields.longitude, DemoSiteLayout.latitude, DemoSiteLayout.longitude) }
        #expect(distances.allSatisfy { $0 < 250 })
        #expect(Set(assets.map { "\($0.fields.latitude),\($0.fields.longitude)" }).count == assets.count)
    }

    @Test func aGeneratedPasswordIsReportedAndWorks() async throws {
        let test = try EmptySite()
        let report = try await test.site.addDemoSite(DemoSiteRequest(weeks: 1))
        #expect(report.passwordWasGenerated)
        #expect(report.password.count == 16)
        #expect(PasswordHasher.verify(report.password, against: try #require(try test.site.registry.user(id: report.user.id)).passwordHash))
    }

    @Test(arguments: [(1, "2026-03-10T13:07:42Z"), (4, "2026-03-10T13:07:42Z"), (8, "2026-07-01T00:00:00Z"), (2, "2026-12-31T23:59:59Z")])
    func theDataSpansTheWeeksUpToTheCurrentQuarterHour(weeks: Int, now text: String) async throws {
        let now = instant(text)
        let test = try EmptySite(now: now)
        let report = try await test.site.addDemoSite(DemoSiteRequest(weeks: weeks))
        let end = now.floored(to: .minutes(15))
        let start = end - .days(7) * Int64(weeks)
        #expect(report.start == start && report.end == end)
        for sensor in report.assets.map(\.id) + [report.irradiance.id, report.temperature.id] {
            let stored = try beliefs(test.site, sensor, from: start - .days(30), to: end + .days(3))
            #expect(stored.count == weeks * 7 * 96, "sensor \(sensor)")
            #expect(stored.first?.eventStart == start)
            #expect(stored.last?.eventStart == end - .minutes(15))
            #expect(stored.allSatisfy { $0.beliefTime == $0.eventStart + .minutes(15) && $0.beliefTime <= now })
            #expect(report.beliefCounts[sensor] == stored.count)
        }
        // Prices: hourly from the first hour, until tomorrow's end when it is past noon UTC, known the day before.
        let prices = try beliefs(test.site, report.market.id, from: start - .days(1), to: end + .days(3))
        let today = now.floored(to: .days(1))
        let pricesEnd = now >= today + .hours(12) ? today + .days(2) : today + .days(1)
        #expect(prices.first?.eventStart == start.floored(to: .hours(1)))
        #expect(prices.last?.eventStart == pricesEnd - .hours(1))
        #expect(prices.count == Int((pricesEnd - start.floored(to: .hours(1))).microseconds / Timespan.hours(1).microseconds))
        #expect(prices.allSatisfy { $0.beliefTime <= now && $0.beliefTime == $0.eventStart.floored(to: .days(1)) - .hours(12) })
    }

    @Test func thePVSeriesIsTheShippedMeasurementScaledToTheAssetsCapacity() async throws {
        let test = try EmptySite()
        let report = try await test.site.addDemoSite(DemoSiteRequest(weeks: 4))
        let rows = try Self.shippedCSV().split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        var measured: [Instant: (power: Double, ghi: Double, temperature: Double)] = [:]
        for row in rows {
            measured[instant(String(row[0]))] = (Double(row[1])!, Double(row[2])!, Double(row[3])!)
        }
        let peak = measured.values.map(\.power).max()!
        // Moved by whole days: the last quarter hour falls on the data's last day, at its own time of day.
        let lastDay = instant("2016-08-27T00:00:00Z")
        let shift = (report.end - .minutes(15)).floored(to: .days(1)) - lastDay
        let pv = try beliefs(test.site, report.pv.id, from: report.start, to: report.end)
        #expect(pv.count == 4 * 7 * 96)
        for belief in pv {
            let row = try #require(measured[belief.eventStart - shift])
            #expect(abs(belief.value - (-max(0, row.power) / peak * DemoSiteLayout.pvCapacityInMW)) < 1e-6, "\(belief.eventStart.iso8601)")
        }
        #expect(pv.map(\.value).min()! < -0.1, "a sunny summer midday produces most of the 150 kW")
        #expect(pv.allSatisfy { $0.value <= 0 }, "production is negative")
        let irradiance = try beliefs(test.site, report.irradiance.id, from: report.start, to: report.end)
        let temperature = try beliefs(test.site, report.temperature.id, from: report.start, to: report.end)
        for (sun, air) in zip(irradiance, temperature) {
            let row = try #require(measured[sun.eventStart - shift])
            #expect(abs(sun.value - row.ghi / 1000) < 1e-5)
            #expect(air.value == row.temperature)
        }
    }

    @Test func theGeneratedSeriesStayWithinTheAssetsLimits() async throws {
        let test = try EmptySite()
        let report = try await test.site.addDemoSite(DemoSiteRequest(weeks: 4))
        func values(_ asset: Asset) throws -> [Double] {
            try beliefs(test.site, asset.id, from: report.start, to: report.end).map(\.value)
        }
        let building = try values(report.building)
        #expect(building.allSatisfy { $0 > 0 && $0 <= DemoSiteLayout.buildingCapacityInMW })
        #expect(building.max()! > 2 * building.min()!, "a working day's load stands out from the night's")
        for chargePoint in report.chargePoints {
            let power = try values(chargePoint)
            #expect(power.allSatisfy { $0 >= 0 && $0 <= DemoSiteLayout.chargePointCapacityInMW })
            let energy = power.reduce(0, +) / 4
            #expect(energy > 0.1 && energy < 28 * 3 * 0.046, "\(chargePoint.fields.name): \(energy) MWh in four weeks")
        }
        #expect(Set(try report.chargePoints.map(values)).count == 4, "each charge point has its own sessions")
        var soc = 0.03
        for power in try values(report.battery) {
            soc += power > 0 ? power / 4 * 0.95 : power / 4 / 0.95
            #expect(DemoSiteLayout.batterySOCInMWh.contains(soc))
        }
        #expect(abs(try #require(try test.site.registry.asset(id: report.battery.id)?.fields.socInMWh) - soc) < 1e-6)
    }

    @Test func theGeneratorIsDeterministic() {
        let day = instant("2026-03-10T15:00:00Z")
        #expect(DemoSiteGenerator.sessions(chargePoint: 2, onDayOf: day) == DemoSiteGenerator.sessions(chargePoint: 2, onDayOf: day))
        #expect(DemoSiteGenerator.sessions(chargePoint: 2, onDayOf: day) != DemoSiteGenerator.sessions(chargePoint: 3, onDayOf: day))
        #expect(DemoSiteGenerator.price(at: day, irradiance: 500) == DemoSiteGenerator.price(at: day, irradiance: 500))
        #expect(DemoSiteGenerator.price(at: day + .hours(5), irradiance: 0) > DemoSiteGenerator.price(at: day + .hours(4), irradiance: 900),
                "the evening peak costs more than a sunny midday")
    }

    @Test func forecastsAndTheBatterysScheduleAreQueuedAndMade() async throws {
        let test = try EmptySite()
        let report = try await test.site.addDemoSite(DemoSiteRequest(weeks: 4))
        let forecasting = try await test.site.jobs.jobs(queue: .forecasting, status: .queued)
        #expect(forecasting.count == 8)
        #expect(Set(forecasting.map(\.id)) == Set(report.forecastingJobs))
        #expect(forecasting.allSatisfy { $0.kind == ForecastingJob.kind })
        #expect(forecasting.filter { $0.payload.contains("\"sensor_id\":\(report.pv.id)") }.count == 4)
        #expect(forecasting.filter { $0.payload.contains("\"sensor_id\":\(report.building.id)") }.count == 4)
        let scheduling = try await test.site.jobs.jobs(queue: .scheduling, status: .queued)
        #expect(scheduling.map(\.id) == [try #require(report.schedulingJob)])
        let event = try #require(try test.site.registry.udiEvent(assetID: report.battery.id, eventID: 1))
        #expect(event.datetime == report.end && event.targets.count == 1 && event.targets[0].socInMWh == 0.18)
        #expect(event.targets[0].datetime > report.end && event.targets[0].datetime < report.pricesEnd)

        // What the daemon's workers then do.
        for queue in [QueueName.forecasting, .scheduling] {
            await SiteJobs.worker(for: queue, site: test.site).runUntilIdle()
        }
        #expect(try await test.site.jobs.jobs(status: .failed).isEmpty)
        for asset in [report.pv, report.building, report.battery] {
            let ahead = try beliefs(test.site, asset.id, from: report.end, to: report.end + .days(3))
            #expect(!ahead.isEmpty, "\(asset.fields.name) has forecasts or a schedule after now")
        }
    }

    @Test func aSecondDemoSiteIsRefused() async throws {
        let test = try EmptySite()
        let report = try await test.site.addDemoSite(DemoSiteRequest(weeks: 1))
        let error = await #expect(throws: DemoSiteError.self) {
            try await test.site.addDemoSite(DemoSiteRequest(weeks: 1, email: "other@example.com"))
        }
        #expect(error?.reason == .exists)
        #expect(try test.site.registry.users().count == 1)
        #expect(try beliefs(test.site, report.pv.id, from: report.start, to: report.end).count == 7 * 96)
    }

    @Test(arguments: [0, 9, -1])
    func weeksBeyondTheShippedDataAreRefused(weeks: Int) async throws {
        let test = try EmptySite()
        let error = await #expect(throws: DemoSiteError.self) {
            try await test.site.addDemoSite(DemoSiteRequest(weeks: weeks))
        }
        #expect(error?.reason == .weeks)
        #expect(try test.site.registry.users().isEmpty)
    }
}

/// Great-circle distance (haversine) in metres.
private func distanceInMetres(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
    let radians = Double.pi / 180
    let dLat = (lat2 - lat1) * radians, dLon = (lon2 - lon1) * radians
    let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * radians) * cos(lat2 * radians) * sin(dLon / 2) * sin(dLon / 2)
    return 2 * 6_371_000 * asin(min(1, sqrt(a)))
}
