import Beliefs
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Registry
import Site

/// The charts' specs and data: an asset's power (JSON for the chart, CSV to download) and the map.
enum ChartRoutes {
    static func add(to router: Router<ConsoleContext>, services: ConsoleServices) {
        router.get("/assets/{id}/chart/spec") { request, context in
            let session = try context.requireSession(request)
            let asset = try services.site.asset(try AssetPages.assetID(context), for: session.user, to: .view)
            return json(ChartSpecs.power(title: "Power of \(asset.fields.displayName)"))
        }
        router.get("/assets/{id}/chart/data") { request, context in
            let session = try context.requireSession(request)
            let asset = try services.site.asset(try AssetPages.assetID(context), for: session.user, to: .view)
            let now = services.clock()
            let window = ChartWindow(query: request.uri.queryParameters, asset: asset, now: now)
            // Demo mode may show an old year's data as this year's (FLEXMEASURES_DEMO_YEAR).
            let shift = services.settings.demoShift(at: now)
            let chart: PowerChart
            do {
                chart = try await services.site.powerChart(
                    of: asset, from: window.start - shift, to: window.end - shift, resolution: window.resolution, consumptionPositive: true
                ).shifted(by: shift)
            } catch let error as ChartError {
                throw ConsoleError.unprocessable(error.description)
            }
            if request.uri.queryParameters["format"] == "csv" {
                return csv(chart.points, name: "\(asset.fields.name)-\(window.startDate)-\(window.endDate).csv")
            }
            return pointsJSON(chart.points)
        }
        router.get("/charts/map/spec") { request, context in
            _ = try context.requireSession(request)
            return json(ChartSpecs.map())
        }
        router.get("/charts/map/data") { request, context in
            let session = try context.requireSession(request)
            let assets = try services.site.assets(for: session.user)
            var records: [JSONValue] = assets.map { asset in
                .object([
                    "name": .string(asset.fields.displayName), "type": .string(asset.fields.assetTypeName),
                    "latitude": .number(asset.fields.latitude), "longitude": .number(asset.fields.longitude),
                    "href": .string("/assets/\(asset.id)"), "frame": .bool(false),
                ])
            }
            if let frame = frame(around: assets.map { ($0.fields.latitude, $0.fields.longitude) }) {
                records += frame.map { corner in
                    .object(["latitude": .number(corner.0), "longitude": .number(corner.1), "frame": .bool(true)])
                }
            }
            return json(.array(records))
        }
    }

    /// Two corners around the points, a tenth of their span (at least about 200 m) beyond them.
    static func frame(around points: [(Double, Double)]) -> [(Double, Double)]? {
        guard let minLat = points.map(\.0).min(), let maxLat = points.map(\.0).max(),
              let minLon = points.map(\.1).min(), let maxLon = points.map(\.1).max() else { return nil }
        let padLat = max(0.002, (maxLat - minLat) * 0.1), padLon = max(0.002, (maxLon - minLon) * 0.1)
        return [(max(-90, minLat - padLat), max(-180, minLon - padLon)), (min(90, maxLat + padLat), min(180, maxLon + padLon))]
    }

    static let noSniff = HTTPField.Name("X-Content-Type-Options")!

    static func json(_ value: JSONValue) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store", Self.noSniff: "nosniff"],
                 body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(value))))
    }

    /// `[{"time": epoch ms, "value": MW, "line": ...}, ...]`, written straight into the buffer: a year of
    /// quarter hours is tens of thousands of records.
    static func pointsJSON(_ points: [PowerChart.Point]) -> Response {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(points.count * 56 + 2)
        buffer.writeStaticString("[")
        for (index, point) in points.enumerated() {
            if index > 0 { buffer.writeStaticString(",") }
            buffer.writeStaticString("{\"time\":")
            buffer.writeString(String(point.time.microsecondsSinceEpoch / 1000))
            buffer.writeStaticString(",\"value\":")
            buffer.writeString(point.power.isFinite ? point.power.description : "null")
            buffer.writeStaticString(",\"line\":\"")
            buffer.writeString(point.line.rawValue)
            buffer.writeStaticString("\"}")
        }
        buffer.writeStaticString("]")
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store", Self.noSniff: "nosniff"], body: .init(byteBuffer: buffer))
    }

    static func csv(_ points: [PowerChart.Point], name: String) -> Response {
        var buffer = ByteBuffer()
        buffer.writeStaticString("event_start,line,power_mw\n")
        for point in points {
            buffer.writeString("\(point.time.iso8601),\(point.line.rawValue),\(point.power)\n")
        }
        let safeName = name.filter { $0.isLetter || $0.isNumber || "-_.".contains($0) }
        return Response(status: .ok, headers: [
            .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store", Self.noSniff: "nosniff",
            .contentDisposition: "attachment; filename=\"\(safeName.unicodeScalars.allSatisfy(\.isASCII) ? safeName : "chart-data.csv")\"; filename*=UTF-8''\(safeName.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "chart-data.csv")",
        ], body: .init(byteBuffer: buffer))
    }
}
