import API
import ArgumentParser
import BeliefStore
import Beliefs
import Foundation
import Registry
#if canImport(Glibc)
import Glibc
import Site
import SiteDatabase
#endif

/// `flexmeasures-bench api`: drives the release daemon over loopback like gateways do.
struct APIBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Start-up, memory, large and small posts, a year's read, and 50 concurrent gateways, over loopback."
    )

    @Option(help: "Requests per concurrent client.") var requestsPerClient = 200
    @Option(help: "Concurrent clients, each posting to its own asset.") var clients = 50
    @Option(help: "The daemon binary (default: flexmeasures beside this benchmark).") var daemon: String?

    func run() async throws {
        let folder = try StoreBenchmark.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("api.db").path
        let (assets, yearAsset, battery) = try Self.prepareSite(database: database, assets: clients)
        print("# API benchmark: \(daemon ?? "flexmeasures beside this benchmark"), synchronous=FULL, \(clients) clients x \(requestsPerClient) requests")
        let running = try BenchDaemon(binary: daemon, database: database)
        defer { withExtendedLifetime(running) {} }
        let (process, port) = (running.process, running.port)
        report("start-up to first answered request ms", Double(running.startUpNanoseconds) / 1e6)
        usleep(300_000)
        report("idle resident memory MB", Self.residentMegabytes(process.processIdentifier), decimals: 1)

        let connection = try HTTPConnection(port: port)
        let token = try running.token(on: connection, email: "gateway@example.com", password: "benchmark-password")

        // A year at 15 minutes in one message; each run another year so that nothing is a repeat.
        var generator = SeriesGenerator(seed: 5)
        let year = generator.meterValues(count: 35_040, resolution: .minutes(15))
        var yearTimes: [Double] = []
        for run in 0..<5 {
            let start = SeriesGenerator.origin + .days(Int64(366 * run))
            let body = Self.message(asset: yearAsset, start: start, values: year)
            var status = 0
            yearTimes.append(try Stopwatch.seconds { status = try connection.send("POST", "/api/v2_0/postMeterData", token: token, body: body).status })
            precondition(status == 200, "a year's post failed with \(status)")
        }
        report("post 35,040 values median ms", yearTimes.median * 1000)

        var dayTimes: [Double] = []
        for day in 0..<200 {
            let start = SeriesGenerator.origin + .days(Int64(5000 + day))
            let body = Self.message(asset: yearAsset, start: start, values: Array(year.prefix(96)))
            var status = 0
            dayTimes.append(try Stopwatch.seconds { status = try connection.send("POST", "/api/v2_0/postMeterData", token: token, body: body).status })
            precondition(status == 200, "a day's post failed with \(status)")
        }
        report("post 96 values median ms", dayTimes.median * 1000, decimals: 3)
        report("post 96 values p99 ms", dayTimes.percentile(0.99) * 1000, decimals: 3)

        var readTimes: [Double] = []
        let query = "/api/v2_0/getMeterData?type=GetMeterDataRequest&connection=ea1.2021-01.io.flexmeasures:1:\(yearAsset)"
            + "&start=2021-01-01T00:00:00Z&duration=P365D&unit=MW"
        for _ in 0..<30 {
            var reply: (status: Int, body: [UInt8]) = (0, [])
            readTimes.append(try Stopwatch.seconds { reply = try connection.send("GET", query, token: token) })
            precondition(reply.status == 200 && reply.body.count > 35_040, "the year's read failed with \(reply.status)")
        }
        report("get a year of 15-minute values median ms", readTimes.median * 1000, decimals: 3)
        report("get a year of 15-minute values p99 ms", readTimes.percentile(0.99) * 1000, decimals: 3)

        // A charge point's gateway posts a UDI event and asks for the plan until it is ready.
        var prices = SeriesGenerator(seed: 9)
        let priceMessage = #"{"type": "PostPriceDataRequest", "market": "ea1.2021-01.io.flexmeasures:epex_da", "start": "2021-01-01T00:00:00Z", "duration": "PT48H", "prior": "2020-12-31T12:00:00Z", "unit": "EUR/MWh", "values": ["#
            + prices.priceValues(count: 48, resolution: .hours(1)).map { "\($0)" }.joined(separator: ", ") + "]}"
        let pricesPosted = try connection.send("POST", "/api/v2_0/postPriceData", token: token, body: Array(priceMessage.utf8))
        precondition(pricesPosted.status == 200, "prices failed with \(pricesPosted.status)")
        var planTimes: [Double] = []
        for event in 1...30 {
            let address = "ea1.2021-01.io.flexmeasures:1:\(battery):\(event):soc-with-targets"
            let udi = #"{"type": "PostUdiEventRequest", "event": "\#(address)", "value": 1.5, "unit": "MWh", "datetime": "2021-01-01T00:00:00Z", "targets": [{"value": 4.0, "datetime": "2021-01-01T18:00:00Z"}]}"#
            let query = "/api/v2_0/getDeviceMessage?type=GetDeviceMessageRequest&event=\(address)"
            var ready = false
            planTimes.append(try Stopwatch.seconds {
                let posted = try connection.send("POST", "/api/v2_0/postUdiEvent", token: token, body: Array(udi.utf8))
                precondition(posted.status == 200, "postUdiEvent failed: \(String(decoding: posted.body, as: UTF8.self))")
                while !ready {
                    ready = try connection.send("GET", query, token: token).status == 200
                }
            })
        }
        report("postUdiEvent to getDeviceMessage ready (192 slots) median ms", planTimes.median * 1000, decimals: 3)
        report("postUdiEvent to getDeviceMessage ready p99 ms", planTimes.percentile(0.99) * 1000, decimals: 3)

        // Gateways: each its own asset, one reading per request, on a kept-alive connection.
        let perClient = requestsPerClient
        let latencies = LatencyLog()
        let started = DispatchTime.now().uptimeNanoseconds
        // One thread per client: each waits for its answer before sending the next, as a gateway does.
        let done = DispatchGroup()
        for asset in assets {
            done.enter()
            Thread.detachNewThread {
                defer { done.leave() }
                do {
                    let gateway = try HTTPConnection(port: port)
                    for request in 0..<perClient {
                        let start = SeriesGenerator.origin + .minutes(Int64(15 * request))
                        let body = Self.message(asset: asset, start: start, values: [Double(request % 100) / 10])
                        let begin = DispatchTime.now().uptimeNanoseconds
                        let reply = try gateway.send("POST", "/api/v2_0/postMeterData", token: token, body: body)
                        latencies.add(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e9, ok: reply.status == 200)
                    }
                } catch {
                    latencies.add(0, ok: false)
                }
            }
        }
        done.wait()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let (times, failures) = latencies.snapshot()
        report("\(assets.count) concurrent clients requests/s", Double(times.count) / seconds, decimals: 0)
        report("\(assets.count) concurrent clients median ms", times.median * 1000, decimals: 3)
        report("\(assets.count) concurrent clients p99 ms", times.percentile(0.99) * 1000, decimals: 3)
        report("\(assets.count) concurrent clients failed requests", Double(failures), decimals: 0)
        report("resident memory after the load MB", Self.residentMegabytes(process.processIdentifier), decimals: 1)
    }

    static func message(asset: SensorID, start: Instant, values: [Double]) -> [UInt8] {
        var text = #"{"type": "PostMeterDataRequest", "connection": "ea1.2021-01.io.flexmeasures:1:"#
        text += "\(asset)\", \"start\": \"\(start.iso8601)\", \"duration\": \"\((Timespan.minutes(15) * Int64(values.count)).iso8601)\", "
        text += "\"unit\": \"MW\", \"horizon\": \"-PT5M\", \"values\": ["
        text += values.map { "\($0)" }.joined(separator: ", ")
        text += "]}"
        return Array(text.utf8)
    }

    /// A site with a gateway user owning `assets` small assets and one asset for the year-long posts.
    static func prepareSite(database path: String, assets count: Int) throws -> ([SensorID], SensorID, SensorID) {
        let site = try SiteDatabase(path: path, migrations: SiteSchema.migrations)
        let registry = Registry(database: site, bcryptCost: 10)
        try registry.addStructure()
        let user = try registry.addUser(NewUser(
            username: "gateway", email: "gateway@example.com", password: "benchmark-password", roles: ["Prosumer", "MDC"]
        ))
        func asset(_ name: String) throws -> SensorID {
            try registry.addAsset(AssetFields(
                name: name, assetTypeName: "building", capacityInMW: 1, eventResolution: .minutes(15),
                latitude: 52, longitude: 4, ownerID: user.id
            )).id
        }
        let year = try asset("year")
        let market = try registry.market(named: "epex_da")
        let battery = try registry.addAsset(AssetFields(
            name: "battery", assetTypeName: "battery", capacityInMW: 2, minSOCInMWh: 0, maxSOCInMWh: 5,
            eventResolution: .minutes(15), latitude: 52, longitude: 4, ownerID: user.id, marketID: market?.id
        )).id
        return (try (0..<count).map { try asset("gateway \($0)") }, year, battery)
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func residentMegabytes(_ pid: Int32) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return .nan }
        return kilobytes / 1024
    }
}

/// Latencies from many threads.
final class LatencyLog: @unchecked Sendable {
    private let lock = NSLock()
    private var times: [Double] = []
    private var failures = 0

    func add(_ seconds: Double, ok: Bool) {
        lock.withLock {
            if ok { times.append(seconds) } else { failures += 1 }
        }
    }

    func snapshot() -> ([Double], Int) { lock.withLock { (times, failures) } }
}
