import Foundation
import Testing
import TestSupport

/// Forecasting through the command line and the job handler, on a series with a daily shape.
@Suite(.serialized) struct ForecastingCLITests {
    @Test func forecastsAreMadeStoredAsBeliefsAndScored() throws {
        let file = try TemporaryDatabase()
        let cli = CommandRunner(database: file.path)
        #expect(try cli.run(["add", "structure"]).exitCode == 0)
        #expect(try cli.run(["add", "user", "--username", "o", "--email", "o@example.com", "--roles", "Prosumer", "--password", "12345678"]).exitCode == 0)
        let asset = try #require(try cli.run(["add", "asset", "--name", "building", "--asset-type-name", "building", "--capacity-in-MW", "1",
                                              "--latitude", "52", "--longitude", "-4.5", "--owner-id", "1", "--event-resolution", "60"]).printedID)
        // 40 days of hourly load with a daily shape, known at each hour's end.
        let origin = 1_609_459_200  // 2021-01-01T00:00:00Z
        var csv = "event_start,value\n"
        for hour in 0..<(40 * 24) {
            let value = 0.5 + 0.3 * sin(Double(hour % 24) / 24 * 2 * .pi) + 0.01 * Double(hour % 7)
            csv += "\(ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(origin + hour * 3600)))),\(value)\n"
        }
        let path = file.directory.appendingPathComponent("load.csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try cli.run(["add", "beliefs", "--sensor-id", String(asset), "--file", path, "--horizon", "PT0S"]).exitCode == 0)

        let queued = try cli.run(["add", "forecasts", "--asset", "building", "--from-date", "2021-02-08", "--to-date", "2021-02-09",
                                  "--horizon", "PT1H", "--horizon", "PT24H", "--wait"])
        #expect(queued.exitCode == 0, "\(queued.stderr)")
        #expect(queued.stdout.contains("Queued 4 forecasting job(s)"))

        let accuracy = try cli.run(["show", "accuracy", "--sensor-id", String(asset), "--start", "2021-02-08T00:00:00Z",
                                    "--duration", "P2D", "--horizon", "PT1H", "--horizon", "PT24H"])
        let rows = accuracy.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        #expect(rows.count == 2, "\(accuracy.stdout)")
        for row in rows {
            #expect(row[1] == "48", "two days of hourly forecasts per horizon: \(row)")
            let score = Double(row[4].dropLast()) ?? 0
            #expect(score > 95, "a daily shape is forecast well: \(row)")
        }
        // Forecasts are beliefs of the forecaster, made their horizon before each event's end.
        let shown = try cli.run(["show", "beliefs", "--sensor-id", String(asset), "--start", "2021-02-08T05:00:00Z", "--duration", "PT1H"])
        let lines = shown.stdout.split(separator: "\n").dropFirst()
        #expect(lines.contains { $0.hasPrefix("2021-02-08T05:00:00Z,2021-02-08T05:00:00Z,") }, "1 h ahead: \(shown.stdout)")
        #expect(lines.contains { $0.hasPrefix("2021-02-08T05:00:00Z,2021-02-07T06:00:00Z,") }, "24 h ahead")
        // Unknown assets and kinds are usage errors.
        #expect(try cli.run(["add", "forecasts", "--asset", "99", "--from-date", "2021-02-08", "--to-date", "2021-02-08"]).exitCode == 2)
        #expect(try cli.run(["add", "forecasts", "--asset", "building", "--asset-type", "Tree", "--from-date", "2021-02-08", "--to-date", "2021-02-08"]).exitCode == 2)
    }
}

/// Meter data queues forecasts of what comes next; getPrognosis serves them.
@Suite(.serialized) struct ForecastingAPITests {
    /// A building's hourly load in MW with a daily shape, to three decimals.
    static func load(_ hour: Int) -> Double {
        let phase = Double(hour % 24) / 24 * 2 * Double.pi
        return ((0.5 + 0.3 * sin(phase)) * 1000).rounded() / 1000
    }

    /// 40 days of hourly load with a daily shape on the hourly building (asset 7), from 2021-01-01.
    static func postFortyDaysOfLoad(_ site: APISite) throws {
        let values: [Double] = (0..<(40 * 24)).map { hour in load(hour) }
        let posted = try site.send("POST", "/api/v2_0/postMeterData", as: "prosumer", json: [
            "type": "PostMeterDataRequest", "connection": APISite.hourly, "values": values,
            "start": "2021-01-01T00:00:00Z", "duration": "P40D", "horizon": "-PT5M", "unit": "MW",
        ])
        #expect(posted.status == 200, "\(posted.text)")
    }

    @Test func meterDataIsFollowedByForecastsThatGetPrognosisServes() throws {
        let site = try APISite()
        try Self.postFortyDaysOfLoad(site)
        var forecast: [Double] = []
        for _ in 0..<200 where forecast.count < 48 {
            let reply = try site.get("/api/v2_0/getPrognosis", as: "prosumer", query: [
                "type": "GetPrognosisRequest", "connection": APISite.hourly, "start": "2021-02-10T00:00:00Z", "duration": "P2D",
            ])
            forecast = (reply.json?["values"] as? [Any])?.compactMap { $0 as? Double } ?? []
            if forecast.count < 48 { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(forecast.count == 48, "the 48-hour job forecast the two days after the data")
        let expected: [Double] = (0..<48).map { hour in Self.load(hour) }
        let error: Double = zip(forecast, expected).map { abs($0 - $1) }.reduce(0, +) / 48
        #expect(error < 0.02, "mean absolute error \(error)")
        // Once the two days are measured, the chart scores the forecasts made for them.
        let actuals: [Double] = (0..<48).map { hour in Self.load(hour) }
        #expect(try site.send("POST", "/api/v2_0/postMeterData", as: "prosumer", json: [
            "type": "PostMeterDataRequest", "connection": APISite.hourly, "values": actuals,
            "start": "2021-02-10T00:00:00Z", "duration": "P2D", "horizon": "-PT5M", "unit": "MW",
        ]).status == 200)
        let chart = try site.get("/api/v2_0/charts/power", as: "prosumer", query: [
            "resource": "hourly", "start_time": "2021-02-10T00:00:00Z", "end_time": "2021-02-12T00:00:00Z",
        ])
        let scores = ((chart.json?["usermeta"] as? [String: Any])?["forecast_accuracy"] as? [[String: Any]]) ?? []
        let twoDaysAhead = scores.first { $0["horizon"] as? String == "P2D" }
        #expect(twoDaysAhead?["forecasts"] as? Int == 48, "\(scores)")
        #expect((twoDaysAhead?["accuracy"] as? Double ?? 0) > 0.9)
        let health = try site.http.send("GET", "/api/health")
        let forecasting = (health.json?["queues"] as? [String: [String: Any]])?["forecasting"]
        #expect(forecasting?["failed"] as? Int == 0, "\(health.text)")
    }
}

/// Forecasts over days that meter data already had forecast: those made before are kept, the rest stored.
@Suite(.serialized) struct ForecastBackfillTests {
    @Test func aBackfillOverForecastsMadeBeforeStoresEveryMissingOne() throws {
        let site = try APISite()
        try ForecastingAPITests.postFortyDaysOfLoad(site)
        // The four forecasts of what comes next, queued by the post, run first.
        var waiting = -1
        for _ in 0..<400 where waiting != 0 {
            let health = try site.http.send("GET", "/api/health")
            let forecasting = (health.json?["queues"] as? [String: [String: Any]])?["forecasting"]
            waiting = ((forecasting?["queued"] as? Int) ?? 1) + ((forecasting?["started"] as? Int) ?? 1)
            if waiting != 0 { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(waiting == 0)
        let backfill = try site.runner.run(["add", "forecasts", "--asset", "hourly", "--from-date", "2021-02-09", "--to-date", "2021-02-10", "--wait"])
        #expect(backfill.exitCode == 0, "\(backfill.stderr)")
        let shown = try site.runner.run(["show", "beliefs", "--sensor-id", "7", "--start", "2021-02-09T00:00:00Z", "--duration", "P2D"])
        let formatter = ISO8601DateFormatter()
        var perHorizon: [Int: Set<String>] = [:]
        for line in shown.stdout.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",")
            guard fields.count >= 2, let start = formatter.date(from: String(fields[0])), let made = formatter.date(from: String(fields[1])) else { continue }
            let hours = Int((start.timeIntervalSince(made) + 3600) / 3600)
            if hours > 0 { perHorizon[hours, default: []].insert(String(fields[0])) }
        }
        for hours in [1, 6, 24, 48] {
            #expect(perHorizon[hours]?.count == 48, "\(hours) h ahead: every hour of both days has a forecast, got \(perHorizon[hours]?.count ?? 0)")
        }
    }
}

/// Weather regressors count only as known when each forecast was made.
@Suite(.serialized) struct ForecastRegressorTests {
    static func temperature(_ hour: Int) -> Double { 10 + 8 * sin(Double(hour) * 0.7) + Double((hour * 37) % 11) }

    /// How the temperatures of the forecast days reach the site.
    enum FutureWeather {
        /// Through the CLI, all known at this moment (a prior).
        case knownAt(String)
        /// Through postWeatherData (v2.0), each known `horizon` before its hour ends.
        case postedWithHorizon(String)
    }

    /// Accuracy at 24 h of forecasts for day 41, with the day's temperatures known `known` (a prior).
    func accuracy(weatherKnownAt known: String) throws -> Double {
        try accuracy(.knownAt(known), forecastHorizon: "PT24H")
    }

    /// Accuracy at `forecastHorizon` of forecasts for day 41, with the day's temperatures as `weather` says.
    func accuracy(_ weather: FutureWeather, forecastHorizon: String) throws -> Double {
        let file = try TemporaryDatabase()
        let cli = CommandRunner(database: file.path)
        #expect(try cli.run(["add", "structure"]).exitCode == 0)
        #expect(try cli.run(["add", "user", "--username", "o", "--email", "o@example.com", "--roles", "Prosumer", "--password", "12345678"]).exitCode == 0)
        let asset = try #require(try cli.run(["add", "asset", "--name", "heat pump", "--asset-type-name", "building", "--capacity-in-MW", "1",
                                              "--latitude", "52", "--longitude", "4", "--owner-id", "1", "--event-resolution", "60"]).printedID)
        let sensor = try #require(try cli.run(["add", "weather-sensor", "--name", "thermometer", "--weather-sensor-type-name", "temperature",
                                               "--latitude", "52.1", "--longitude", "4.1", "--event-resolution", "60"]).printedID)
        let formatter = ISO8601DateFormatter()
        func time(_ hour: Int) -> String { formatter.string(from: Date(timeIntervalSince1970: TimeInterval(1_609_459_200 + hour * 3600))) }
        let history = 40 * 24
        let load = "event_start,value\n" + (0..<history).map { "\(time($0)),\(0.3 + 0.02 * Self.temperature($0))" }.joined(separator: "\n")
        let past = "event_start,value\n" + (0..<history).map { "\(time($0)),\(Self.temperature($0))" }.joined(separator: "\n")
        let future = "event_start,value\n" + (history..<(history + 48)).map { "\(time($0)),\(Self.temperature($0))" }.joined(separator: "\n")
        for (name, text) in [("load", load), ("past", past), ("future", future)] {
            try text.write(toFile: file.directory.appendingPathComponent("\(name).csv").path, atomically: true, encoding: .utf8)
        }
        let directory = file.directory.path
        #expect(try cli.run(["add", "beliefs", "--sensor-id", String(asset), "--file", "\(directory)/load.csv", "--horizon", "PT0S"]).exitCode == 0)
        #expect(try cli.run(["add", "beliefs", "--sensor-id", String(sensor), "--file", "\(directory)/past.csv", "--prior", "2000-01-01T00:00:00Z"]).exitCode == 0)
        switch weather {
        case .knownAt(let known):
            #expect(try cli.run(["add", "beliefs", "--sensor-id", String(sensor), "--file", "\(directory)/future.csv", "--prior", known]).exitCode == 0)
        case .postedWithHorizon(let horizon):
            var api = cli
            api.environment["SECRET_KEY"] = "test-secret"
            let daemon = try RunningDaemon(runner: api)
            defer { _ = daemon.stop() }
            let login = try daemon.tcp.send("POST", "/api/requestAuthToken", json: ["email": "o@example.com", "password": "12345678"])
            let token = try #require(login.json?["auth_token"] as? String, "\(login.text)")
            let posted = try daemon.tcp.send("POST", "/api/v2_0/postWeatherData", token: token, json: [
                "type": "PostWeatherDataRequest", "sensor": "ea1.2021-01.io.flexmeasures:temperature:52.1:4.1",
                "values": (history..<(history + 48)).map { Self.temperature($0) }, "start": time(history), "duration": "P2D",
                "horizon": horizon, "unit": "°C",
            ] as [String: Any])
            #expect(posted.status == 200, "\(posted.text)")
        }
        // The actual load of day 41, measured afterwards.
        let actual = "event_start,value\n" + (history..<(history + 24)).map { "\(time($0)),\(0.3 + 0.02 * Self.temperature($0))" }.joined(separator: "\n")
        try actual.write(toFile: "\(directory)/actual.csv", atomically: true, encoding: .utf8)
        #expect(try cli.run(["add", "forecasts", "--asset", "heat pump", "--from-date", "2021-02-10", "--to-date", "2021-02-10",
                             "--horizon", forecastHorizon, "--wait"]).exitCode == 0)
        #expect(try cli.run(["add", "beliefs", "--sensor-id", String(asset), "--file", "\(directory)/actual.csv", "--horizon", "PT0S"]).exitCode == 0)
        let scores = try cli.run(["show", "accuracy", "--sensor-id", String(asset), "--start", "2021-02-10T00:00:00Z", "--duration", "P1D",
                                  "--horizon", forecastHorizon])
        let row = try #require(scores.stdout.split(separator: "\n").dropFirst().first?.split(separator: ","), "\(scores.stdout)")
        #expect(row[1] == "24")
        return Double(row[4].dropLast()) ?? 0
    }

    @Test func aWeatherForecastMadeAfterTheForecastIsNotUsed() throws {
        let knownEarly = try accuracy(weatherKnownAt: "2021-02-01T00:00:00Z")
        let knownLate = try accuracy(weatherKnownAt: "2021-03-01T00:00:00Z")
        #expect(knownEarly > 99, "the load follows the temperature exactly: \(knownEarly)")
        #expect(knownLate < knownEarly - 2, "without the day's temperatures the forecast is worse: \(knownLate) vs \(knownEarly)")
        // Known at noon the day before: the forecasts made earlier that morning (for the day's first
        // hours, 24 h ahead) must do without them, the later ones use them.
        let knownMidway = try accuracy(weatherKnownAt: "2021-02-09T12:00:00Z")
        #expect(knownMidway < knownEarly - 1, "\(knownMidway) vs \(knownEarly)")
        #expect(knownMidway > knownLate, "\(knownMidway) vs \(knownLate)")
    }

    /// A weather forecast formed exactly when a forecast is made (posted with the forecast's horizon) was
    /// known then: every forecast of the day uses it.
    @Test(arguments: ["PT1H", "PT6H", "PT24H", "PT48H"])
    func weatherKnownExactlyAtTheForecastsBeliefTimeIsUsed(horizon: String) throws {
        let score = try accuracy(.postedWithHorizon(horizon), forecastHorizon: horizon)
        #expect(score > 99, "\(horizon): \(score)")
    }
}
