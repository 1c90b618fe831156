import Beliefs
import Foundation

/// The measured series behind the demo site, shipped in the binary: 57 days of the NREL SERF East PV
/// system (AC power in W) with the irradiance (GHI, W/m²) and air temperature (°C) at its place, at 15
/// minutes from 2016-07-02T00:00Z (data/demo/pv_serf_east_demo.csv, pvanalytics 0.2.2 data files, MIT;
/// upstream NREL PVDAQ and NSRDB open data, attribute NREL).
public struct DemoSiteData: Sendable {
    /// The first row's interval start.
    public let start: Instant
    /// The rows' resolution.
    public static let resolution = Timespan.minutes(15)
    /// AC power in W, as measured (negative at night: the inverter's standby).
    public let acPowerInW: [Double]
    /// Global horizontal irradiance in W/m².
    public let irradianceInWPerSquareMetre: [Double]
    /// Air temperature in °C.
    public let airTemperatureInCelsius: [Double]

    /// Whole days the data covers (a spare day beyond `maximumWeeks`, so that any span of up to that many
    /// weeks ending at any time of day can be cut from it).
    public var days: Int { acPowerInW.count / 96 }
    public static let maximumWeeks = 8

    /// The highest AC power measured: the demo scales this to the PV asset's capacity.
    public var peakACPowerInW: Double { acPowerInW.max() ?? 0 }

    /// The shipped data, decoded once.
    public static func shipped() throws(DemoSiteError) -> DemoSiteData {
        try decoded.get()
    }

    private static let decoded = Result { () throws(DemoSiteError) -> DemoSiteData in
        let text = embeddedGzipBase64.map(\.description).joined()
        guard let packed = Data(base64Encoded: text), let plain = Gzip.inflate(Array(packed), size: embeddedSize) else {
            throw DemoSiteError(.embeddedData, "the demo data embedded in this binary does not inflate; rebuild it with scripts/embed-demo-data.py")
        }
        return try parse(String(decoding: plain, as: UTF8.self))
    }

    /// Reads the CSV (event_start,value,ghi,temp_air; regular 15-minute rows, whole days).
    public static func parse(_ csv: String) throws(DemoSiteError) -> DemoSiteData {
        var lines = csv.split(whereSeparator: \.isNewline)
        guard lines.first == "event_start,value,ghi,temp_air" else {
            throw DemoSiteError(.embeddedData, "the demo data's header is not event_start,value,ghi,temp_air")
        }
        lines.removeFirst()
        var start: Instant?
        var power: [Double] = [], irradiance: [Double] = [], temperature: [Double] = []
        for (index, line) in lines.enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 4, let eventStart = try? Instant.parseISO8601(String(fields[0])),
                  let value = Double(fields[1]), let ghi = Double(fields[2]), let temp = Double(fields[3]) else {
                throw DemoSiteError(.embeddedData, "line \(index + 2) of the demo data is not a row of four values: \(line)")
            }
            let first = start ?? eventStart
            start = first
            guard eventStart == first + resolution * Int64(index) else {
                throw DemoSiteError(.embeddedData, "line \(index + 2) of the demo data breaks the 15-minute series at \(eventStart.iso8601)")
            }
            power.append(value)
            irradiance.append(ghi)
            temperature.append(temp)
        }
        guard let start, power.count % 96 == 0, power.count / 96 > maximumWeeks * 7 else {
            throw DemoSiteError(.embeddedData, "the demo data holds \(power.count) rows, not whole days covering more than \(maximumWeeks) weeks")
        }
        return DemoSiteData(start: start, acPowerInW: power, irradianceInWPerSquareMetre: irradiance, airTemperatureInCelsius: temperature)
    }

    /// The row that stands for the slot starting at `slot` when the data is moved by whole days so that
    /// `lastSlot` falls on its last day: time of day (and so the sun) is kept. Slots after the data's end
    /// (day-ahead prices) repeat its last day.
    public func row(for slot: Instant, lastSlot: Instant) -> Int {
        let day = Timespan.days(1)
        let shift = lastSlot.floored(to: day) - (start + day * Int64(days - 1))
        let index = Int((slot - shift - start).microseconds / Self.resolution.microseconds)
        let count = acPowerInW.count
        guard index >= count else { return Swift.max(0, index) }
        return count - 96 + (index - count) % 96
    }
}
