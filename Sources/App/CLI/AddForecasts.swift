import ArgumentParser
import BeliefStore
import Beliefs
import Foundation
import Jobs
import Logging
import Registry
import Site

/// `flexmeasures add forecasts`: queues forecasting jobs for a window, as the reference's command does.
struct AddForecasts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecasts",
        abstract: "Queue forecasts of an asset, market or weather sensor over a window, at one or more horizons.",
        discussion: """
            One job per horizon and day; the daemon's workers (or `jobs run-worker --queue forecasting`) run \
            them. Each slot's forecast is made at its end minus the horizon, with only what was known then, \
            and stored as a belief of the forecaster. With --wait the jobs run in this process, with a \
            progress bar on a terminal.
            """
    )

    @Option(name: .customLong("from-date"), help: "First day (YYYY-MM-DD, UTC) or an ISO 8601 datetime.") var fromDate: String
    @Option(name: .customLong("to-date"), help: "Last day, inclusive (YYYY-MM-DD, UTC) or an ISO 8601 datetime (exclusive).") var toDate: String
    @Option(name: .customLong("asset-type"), help: "Asset, Market or WeatherSensor.") var assetType: String = "Asset"
    @Option(help: "The asset, market or weather sensor: its name or id.") var asset: String
    @Option(help: "Horizons (ISO 8601), repeatable. Default: PT1H, PT6H, PT24H, PT48H.") var horizon: [String] = []
    @Flag(help: "Run the jobs here and now instead of leaving them to the workers.") var wait = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let site = try database.site()
        let sensorID = try resolveSensor(site.registry)
        let (start, end) = try window()
        // One job per day and horizon: a window of millennia must not queue millions of them.
        if let resolution = try site.store.eventResolution(of: sensorID) {
            do {
                try site.settings.checkWindow(from: start, to: end, resolution: resolution, what: "--from-date to --to-date")
            } catch {
                throw UsageFailure(error.description)
            }
        }
        let horizons = try parsedHorizons(horizon)
        var ids: [JobID] = []
        var day = start
        while day < end {
            let next = min(day + .days(1), end)
            for horizon in horizons {
                ids.append(try await site.jobs.enqueue(
                    queue: .forecasting, kind: ForecastingJob.kind,
                    payload: try ForecastingJob.payload(sensorID: sensorID, horizon: horizon, start: day, end: next),
                    timeToLive: site.settings.planningTTL
                ))
            }
            day = next
        }
        print("Queued \(ids.count) forecasting job(s) for sensor \(sensorID).")
        guard wait else { return }
        let progress = Progress(total: ids.count, label: "forecasting", worthShowingFrom: 8)
        let queued = Set(ids)
        // A worker of this process runs what is queued (ours, and whatever else waits on the queue).
        let worker = Workers.worker(for: .forecasting, site: site, logger: Logger.daemon(level: .warning), onEvent: { event in
            if case let .finished(job) = event, queued.contains(job.id) { progress.advance() }
            if case let .failed(job) = event, queued.contains(job.id) { progress.advance() }
        })
        await worker.runUntilIdle()
        // Jobs a daemon's worker took meanwhile: wait for their outcome.
        var failures: [String] = []
        for id in ids {
            var job = try await site.jobs.job(id: id)
            while let running = job, running.status == .queued || running.status == .started {
                try await Task.sleep(for: .milliseconds(200))
                job = try await site.jobs.job(id: id)
            }
            if let job, job.status == .failed { failures.append("job \(id): \(job.error ?? "failed")") }
        }
        progress.finish()
        if !failures.isEmpty { throw CommandFailure(failures.joined(separator: "\n")) }
        print("Ran \(ids.count) forecasting job(s).")
    }

    func resolveSensor(_ registry: Registry) throws -> SensorID {
        let byID = Int64(asset)
        switch assetType.lowercased() {
        case "asset":
            if let id = byID, let found = try registry.asset(id: id) { return found.id }
            if let found = try registry.asset(named: asset) { return found.id }
        case "market":
            if let id = byID, let found = try registry.market(id: id) { return found.id }
            if let found = try registry.market(named: asset) { return found.id }
        case "weathersensor":
            if let id = byID, let found = try registry.weatherSensor(id: id) { return found.id }
            if let found = try registry.weatherSensors().first(where: { $0.name == asset }) { return found.id }
        default:
            throw UsageFailure("invalid value for --asset-type: use Asset, Market or WeatherSensor")
        }
        throw UsageFailure("invalid value for --asset: no \(assetType) named or numbered '\(asset)'")
    }

    func window() throws -> (Instant, Instant) {
        func parse(_ text: String, flag: String, inclusiveDay: Bool) throws -> Instant {
            if text.count == 10, let day = try? Instant.parseISO8601(text + "T00:00:00Z") {
                return inclusiveDay ? day + .days(1) : day
            }
            do { return try Instant.parseISO8601(text) } catch { throw UsageFailure("invalid value for \(flag): \(error)") }
        }
        let start = try parse(fromDate, flag: "--from-date", inclusiveDay: false)
        let end = try parse(toDate, flag: "--to-date", inclusiveDay: true)
        guard start < end else { throw UsageFailure("--from-date must come before --to-date") }
        return (start, end)
    }
}
