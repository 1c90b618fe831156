import Beliefs
import GRDB
import Jobs
import Registry

extension Site {
    /// Makes the demo site (`flexmeasures add demo-site`): the structure where missing, a Prosumer account,
    /// a charging hub's assets (PV, a battery, four charge points, a building) on one day-ahead market,
    /// irradiance and temperature sensors, and `weeks` of 15-minute data ending at the current quarter hour:
    /// the PV and weather are the measured NREL SERF East data shipped in the binary (`DemoSiteData`), moved
    /// by whole days and the PV scaled to the asset's capacity; the load, charge point sessions, the
    /// battery's past and the prices come from `DemoSiteGenerator`. All beliefs go through the one append
    /// (alerts see them as they see any import), in one transaction with the forecasting jobs of the PV and
    /// the building; then a UDI event with a state-of-charge target queues the battery's schedule. The
    /// daemon's workers turn those jobs into forecasts and a schedule.
    ///
    /// Not idempotent: a database with a demo site (its assets, market or account) is refused with
    /// `DemoSiteError(.exists)`; make another in another database. The account, market, sensors and assets
    /// are registry writes of their own before the data's one transaction: should storing the data fail, they
    /// stay (and count as a demo site). Throws `DemoSiteError`, `RegistryError` (a bad email or password),
    /// `IngestError` or `UDIEventError`.
    public func addDemoSite(_ request: DemoSiteRequest) async throws -> DemoSiteReport {
        typealias Layout = DemoSiteLayout
        guard (1...DemoSiteData.maximumWeeks).contains(request.weeks) else {
            throw DemoSiteError(.weeks, "weeks must be 1 to \(DemoSiteData.maximumWeeks) (the shipped data covers \(DemoSiteData.maximumWeeks) weeks), got \(request.weeks)")
        }
        let data = try DemoSiteData.shipped()
        try registry.addStructure()
        if let pv = try registry.asset(named: Layout.pvName) {
            throw DemoSiteError(.exists, "this database holds a demo site already (asset \(pv.fields.name), id \(pv.id)); make a new one in another database")
        }
        if let market = try registry.market(named: Layout.marketName) {
            throw DemoSiteError(.exists, "this database holds a demo site already (market \(market.name), id \(market.id)); make a new one in another database")
        }
        if let user = try registry.user(email: request.email) {
            throw DemoSiteError(.exists, "a user with the email \(request.email) exists already (id \(user.id)); give the demo account another email, or use another database")
        }

        let password = request.password ?? Self.demoPassword()
        let user = try registry.addUser(NewUser(username: Layout.accountName, email: request.email, password: password, roles: ["Prosumer"]))
        let market = try registry.addMarket(NewMarket(
            name: Layout.marketName, displayName: "Demo day-ahead prices (generated)", marketTypeName: "day_ahead",
            unit: "EUR/MWh", eventResolution: .hours(1)
        ))
        let quarterHour = Timespan.minutes(15)
        func weatherSensor(_ name: String, type: String, display: String) throws -> WeatherSensor {
            try registry.addWeatherSensor(NewWeatherSensor(
                name: name, displayName: display, weatherSensorTypeName: type, eventResolution: quarterHour,
                latitude: Layout.latitude, longitude: Layout.longitude
            ))
        }
        let irradiance = try weatherSensor(Layout.irradianceName, type: "radiation", display: "Irradiance (NREL SERF, measured)")
        let temperature = try weatherSensor(Layout.temperatureName, type: "temperature", display: "Air temperature (NREL SERF, measured)")
        func asset(_ name: String, _ display: String, type: String, capacity: Double, north: Double, east: Double,
                   storage: Bool = false) throws -> Asset {
            let place = Layout.offset(north: north, east: east)
            var fields = AssetFields(
                name: name, displayName: display, assetTypeName: type, capacityInMW: capacity, eventResolution: quarterHour,
                latitude: place.latitude, longitude: place.longitude, ownerID: user.id, marketID: market.id
            )
            if storage {
                fields.minSOCInMWh = Layout.batterySOCInMWh.lowerBound
                fields.maxSOCInMWh = Layout.batterySOCInMWh.upperBound
                fields.chargingEfficiency = Layout.batteryEfficiency
                fields.dischargingEfficiency = Layout.batteryEfficiency
            }
            return try registry.addAsset(fields)
        }
        let pv = try asset(Layout.pvName, "Solar carport", type: "solar", capacity: Layout.pvCapacityInMW, north: 60, east: -90)
        let battery = try asset(Layout.batteryName, "Hub battery", type: "battery", capacity: Layout.batteryCapacityInMW,
                                north: -40, east: 70, storage: true)
        let chargePoints = try (1...Layout.chargePoints).map { number in
            try asset(Layout.chargePointName(number), "Charge point \(number)", type: "one-way_evse",
                      capacity: Layout.chargePointCapacityInMW, north: -120 + 25 * Double(number), east: -150)
        }
        let building = try asset(Layout.buildingName, "Service building", type: "building", capacity: Layout.buildingCapacityInMW,
                                 north: 130, east: 110)

        // The data: slots from `start` to the current quarter hour, each known at its end.
        let now = clock()
        let end = now.floored(to: quarterHour)
        let start = end - Timespan.days(7) * Int64(request.weeks)
        let slots = Int((end - start).microseconds / quarterHour.microseconds)
        let lastSlot = end - quarterHour
        let peak = data.peakACPowerInW
        var beliefs: [Belief] = []
        beliefs.reserveCapacity(slots * 9 + slots / 4 + 200)
        func measured(_ sensor: SensorID, _ value: (_ slot: Instant, _ row: Int) -> Double) {
            for index in 0..<slots {
                let slot = start + quarterHour * Int64(index)
                let value = value(slot, data.row(for: slot, lastSlot: lastSlot))
                beliefs.append(Belief(sensorID: sensor, eventStart: slot, beliefTime: slot + quarterHour, sourceID: 0, value: value))
            }
        }
        measured(pv.id) { _, row in Self.demoPVPower(acPowerInW: data.acPowerInW[row], peakInW: peak, capacityInMW: Layout.pvCapacityInMW) }
        measured(irradiance.id) { _, row in DemoSiteGenerator.rounded(data.irradianceInWPerSquareMetre[row] / 1000, places: 5) }
        measured(temperature.id) { _, row in data.airTemperatureInCelsius[row] }
        measured(building.id) { slot, row in DemoSiteGenerator.buildingLoad(at: slot, airTemperature: data.airTemperatureInCelsius[row]) }
        for (offset, chargePoint) in chargePoints.enumerated() {
            let power = DemoSiteGenerator.chargePointPower(
                chargePoint: offset + 1, capacityInMW: Layout.chargePointCapacityInMW, from: start, slots: slots
            )
            measured(chargePoint.id) { slot, _ in power[Int((slot - start).microseconds / quarterHour.microseconds)] }
        }
        let history = DemoSiteGenerator.batteryPower(
            from: start, slots: slots, socRange: Layout.batterySOCInMWh,
            charging: Layout.batteryEfficiency, discharging: Layout.batteryEfficiency
        )
        measured(battery.id) { slot, _ in history.power[Int((slot - start).microseconds / quarterHour.microseconds)] }

        // Day-ahead prices: each UTC day's hours published the day before at 12:00 UTC, so tomorrow's are known
        // from noon on.
        let day = Timespan.days(1)
        let today = now.floored(to: day)
        let pricesEnd = now >= today + .hours(12) ? today + day * 2 : today + day
        var hour = start.floored(to: .hours(1))
        while hour < pricesEnd {
            let rows = (0..<4).map { data.row(for: hour + quarterHour * Int64($0), lastSlot: lastSlot) }
            let irradiance = rows.map { data.irradianceInWPerSquareMetre[$0] }.reduce(0, +) / 4
            beliefs.append(Belief(
                sensorID: market.id, eventStart: hour, beliefTime: hour.floored(to: day) - .hours(12), sourceID: 0,
                value: DemoSiteGenerator.price(at: hour, irradiance: irradiance)
            ))
            hour = hour + .hours(1)
        }

        let counts = Dictionary(beliefs.map { ($0.sensorID, 1) }, uniquingKeysWith: +)
        let payloads = try [pv.id, building.id].flatMap { sensor in
            try ForecastingJob.referenceHorizons.map { try ForecastingJob.latestPayload(sensorID: sensor, horizon: $0) }
        }
        let (jobs, ttl) = (self.jobs, settings.planningTTL)
        try await ingest(beliefs, from: .script(name: Layout.sourceName, type: .script)) { db in
            for payload in payloads {
                try jobs.enqueueUnlessQueued(queue: .forecasting, kind: ForecastingJob.kind, payload: payload, timeToLive: ttl, in: db)
            }
        }
        // Any status: a running daemon's worker may have claimed them already.
        let forecastingJobs = try await jobs.jobs(queue: .forecasting).filter { payloads.contains($0.payload) }.map(\.id)

        // The battery's plan: from its state of charge now, full (90%) before the evening peak (17:00 local),
        // within the known prices and the planning horizon.
        let target = Self.demoTarget(after: end, pricesEnd: pricesEnd, planningHorizon: settings.planningHorizon)
        let report = UDIEventReport(
            asset: try registry.asset(id: battery.id) ?? battery, eventID: 1, kind: .socWithTargets, unit: "MWh",
            value: DemoSiteGenerator.rounded(history.finalSOC, places: 6), datetime: end,
            targets: [UDIEventReport.Target(datetime: target, value: DemoSiteGenerator.rounded(0.9 * Layout.batterySOCInMWh.upperBound, places: 6))]
        )
        try await postUDIEvent(report, datetimes: .later, planning: .byJob)
        let schedulingJob = try registry.udiEvent(assetID: battery.id, eventID: 1)?.jobID
        return DemoSiteReport(
            user: user, password: password, passwordWasGenerated: request.password == nil,
            pv: pv, battery: try registry.asset(id: battery.id) ?? battery, chargePoints: chargePoints, building: building,
            market: market, irradiance: irradiance, temperature: temperature, start: start, end: end, pricesEnd: pricesEnd,
            beliefCounts: counts, forecastingJobs: forecastingJobs, schedulingJob: schedulingJob
        )
    }

    /// The PV asset's power in MW for a measured AC power: production is negative, the inverter's standby at
    /// night (negative AC power) counts as no production, and the data's peak becomes the asset's capacity.
    public static func demoPVPower(acPowerInW: Double, peakInW: Double, capacityInMW: Double) -> Double {
        DemoSiteGenerator.rounded(-Swift.max(0, acPowerInW) / peakInW * capacityInMW, places: 6)
    }

    /// The next 17:00 local (00:00 UTC) at least two hours after `end`, else as late as prices and the
    /// planning horizon allow.
    static func demoTarget(after end: Instant, pricesEnd: Instant, planningHorizon: Timespan) -> Instant {
        let evening = (end + .hours(2)).floored(to: .days(1)) + .days(1)
        let latest = Swift.min(pricesEnd - .hours(1), end + planningHorizon)
        return Swift.min(evening, latest)
    }

    /// 16 letters and digits from the system's secure generator.
    static func demoPassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
    }
}
