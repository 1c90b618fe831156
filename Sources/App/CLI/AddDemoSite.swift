import ArgumentParser
import Beliefs
import Registry
import Site

/// `flexmeasures add demo-site`: a living charging hub to look at (issue 13).
struct AddDemoSite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-site",
        abstract: "Make a demo charging site: PV, a battery, four charge points, a building, prices, weather, weeks of data.",
        discussion: """
            Makes the structure where missing, a Prosumer account (default \(DemoSiteRequest.defaultEmail), with a \
            password made for it unless --password is given), and a charging hub's assets with --weeks of \
            15-minute data up to the current quarter hour: measured PV, irradiance and temperature (NREL SERF \
            East, shipped in the binary; MIT, attribute NREL) and generated building load, charge point \
            sessions, battery history and day-ahead prices. It queues forecasts of the PV and the building and \
            a schedule of the battery; `flexmeasures run` (or `jobs run-worker`) makes them. A database that \
            holds a demo site already is refused: use another --db.
            """
    )

    @Option(help: "Weeks of data up to now, 1 to \(DemoSiteData.maximumWeeks).") var weeks: Int = 4
    @Option(help: "The demo account's email.") var email: String = DemoSiteRequest.defaultEmail
    @Option(help: "The demo account's password (at least 8 characters); default: a new one, printed.") var password: String?
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard (1...DemoSiteData.maximumWeeks).contains(weeks) else {
            throw UsageFailure("invalid value for --weeks: must be 1 to \(DemoSiteData.maximumWeeks) (the weeks of data shipped), got \(weeks)")
        }
        let site = try database.site()
        let report: DemoSiteReport
        do {
            report = try await site.addDemoSite(DemoSiteRequest(weeks: weeks, email: email, password: password))
        } catch let error as DemoSiteError {
            switch error.reason {
            case .weeks: throw UsageFailure(error.description)
            case .exists: throw UsageFailure("\(error.description) (--db PATH, --email E)")
            case .embeddedData: throw CommandFailure(error.description)
            }
        } catch let error as RegistryError {
            throw error.usageFailure(flags: ["email": "--email", "password": "--password"])
        }
        print("Added the demo site: a charging hub at \(DemoSiteLayout.latitude), \(DemoSiteLayout.longitude) (Golden, Colorado).")
        print("Account: \(report.user.email) (user \(report.user.id), Prosumer), password: \(report.password)\(report.passwordWasGenerated ? " (generated; keep it)" : "")")
        for asset in report.assets {
            let count = report.beliefCounts[asset.id] ?? 0
            print("Asset \(asset.id): \(asset.fields.name) (\(asset.fields.assetTypeName), \(asset.fields.capacityInMW * 1000) kW), \(count) values")
        }
        print("Market \(report.market.id): \(report.market.name) (EUR/MWh, hourly), \(report.beliefCounts[report.market.id] ?? 0) prices until \(report.pricesEnd.iso8601)")
        for sensor in [report.irradiance, report.temperature] {
            print("Weather sensor \(sensor.id): \(sensor.name) (\(sensor.unit)), \(report.beliefCounts[sensor.id] ?? 0) values")
        }
        print("Data from \(report.start.iso8601) to \(report.end.iso8601): \(report.beliefs) beliefs.")
        print("Queued \(report.forecastingJobs.count) forecasting jobs (PV and building)\(report.schedulingJob.map { " and scheduling job \($0) (battery)" } ?? "").")
        print("Start the daemon (`make run`, or `flexmeasures run`) to make the forecasts and the schedule; then open http://127.0.0.1:5000/ and sign in as \(report.user.email).")
    }
}
