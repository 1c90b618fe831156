import Beliefs
import Hummingbird
import Jobs
import Registry
import Site

/// `GET /control` (the batteries and charge points one may control) and `GET /control/{id}`: a device's
/// planned power and state of charge against prices over the planning horizon (reference 11), and the form
/// that sets a state-of-charge target and starts a schedule: the job postUdiEvent queues.
enum ControlPages {
    static func add(to router: Router<ConsoleContext>, services: ConsoleServices, pages: PageRenderer) {
        router.get("/control") { request, context in
            let session = try context.requireSession(request)
            let devices = try services.site.assets(for: session.user).filter { AssetType.storageTypeNames.contains($0.fields.assetTypeName) }
            let rows: [[String: Any]] = devices.map { asset in
                var row: [String: Any] = ["id": asset.id, "name": asset.fields.displayName, "type": asset.fields.assetTypeName, "soc": "–"]
                if let soc = asset.fields.socInMWh { row["soc"] = Formatting.number(soc) }
                if let at = asset.fields.socDatetime {
                    row["socAt"] = Formatting.iso(at)
                    row["socAtText"] = Formatting.readable(at)
                }
                return row
            }
            return pages.page("controlList", title: "Control", section: .control, session: session,
                              values: ["hasAssets": !rows.isEmpty, "assets": rows])
        }

        router.get("/control/{id}") { request, context in
            let session = try context.requireSession(request)
            let asset = try services.site.asset(try AssetPages.assetID(context), for: session.user, to: .control)
            return try await page(asset, session: session, form: [:], errors: [:], pages: pages, services: services)
        }

        router.post("/control/{id}") { request, context in
            let (session, form) = try await context.form(request)
            let asset = try services.site.asset(try AssetPages.assetID(context), for: session.user, to: .control)
            let valueText = String((form.text("target_value") ?? "").prefix(100))
            let datetimeText = String((form.text("target_datetime") ?? "").prefix(100))
            let entered = ["target_value": valueText, "target_datetime": datetimeText]
            var errors: [String: String] = [:]
            let value = number(valueText)
            if value == nil { errors["target_value"] = "Give the state of charge to reach, in MWh (a number)." }
            let datetime = instant(datetimeText)
            if datetime == nil { errors["target_datetime"] = "Give the date and time to reach it (UTC), e.g. 2026-12-05T18:00." }
            if let value, let datetime {
                do {
                    try await services.site.requestSchedule(of: asset, targetMWh: value, at: datetime)
                    return ConsoleRedirect(to: "/control/\(asset.id)").response
                } catch let error as ScheduleRequestError {
                    switch error.reason {
                    case .value: errors["target_value"] = error.description
                    case .datetime: errors["target_datetime"] = error.description
                    case .noStateOfCharge, .busy: errors["form"] = error.description
                    }
                } catch let error as UDIEventError {
                    errors[error.reason == .datetime ? "target_datetime" : "form"] = error.description
                }
            }
            return try await page(asset, session: session, form: entered, errors: errors, pages: pages, services: services, status: .unprocessableContent)
        }

        router.get("/control/{id}/chart/spec") { request, context in
            let session = try context.requireSession(request)
            _ = try services.site.asset(try AssetPages.assetID(context), for: session.user, to: .control)
            return ChartRoutes.json(ChartSpecs.control())
        }

        router.get("/control/{id}/chart/data") { request, context in
            let session = try context.requireSession(request)
            let asset = try services.site.asset(try AssetPages.assetID(context), for: session.user, to: .control)
            let plan = try await services.site.controlPlan(of: asset)
            var records: [JSONValue] = []
            for slot in plan.slots {
                let time = JSONValue.number(Double(slot.start.microsecondsSinceEpoch / 1000))
                for (value, series, panel) in [(slot.plannedMW, "planned power", "power"), (slot.socMWh, "state of charge", "soc"), (slot.price, "price", "price")] {
                    guard let value, value.isFinite else { continue }
                    records.append(.object(["time": time, "value": .number(value), "series": .string(series), "panel": .string(panel)]))
                }
            }
            return ChartRoutes.json(.array(records))
        }
    }

    /// A number as typed: at most 40 characters, finite.
    static func number(_ text: String) -> Double? {
        // Decimal notation only: Swift's Double(String) also reads hexadecimal ("0x0.1p1"), "nan" and "inf".
        guard !text.isEmpty, text.utf8.count <= 40, text.allSatisfy({ "0123456789+-.eE".contains($0) }),
              let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// A datetime as a `datetime-local` field sends it (`yyyy-mm-ddThh:mm`, seconds optional), read as
    /// UTC, or ISO 8601 with an offset; between 1970 and 2200.
    static func instant(_ text: String) -> Instant? {
        guard text.utf8.count <= 40, text.utf8.count >= 16 else { return nil }
        let full: String
        switch text.utf8.count {
        case 16: full = text + ":00Z"
        case 19: full = text + "Z"
        default: full = text
        }
        guard let instant = try? Instant.parseISO8601(full), instant >= .epoch,
              instant < Instant(microsecondsSinceEpoch: 7_258_118_400_000_000) else { return nil }
        return instant
    }

    static func page(
        _ asset: Asset, session: ConsoleSession, form: [String: String], errors: [String: String], pages: PageRenderer,
        services: ConsoleServices, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let plan = try await services.site.controlPlan(of: asset)
        let fields = asset.fields
        func text(_ value: Double?, digits: Int = 3) -> String { value.map { Formatting.number($0, digits: digits) } ?? "–" }
        let state = jobState(plan)
        var values: [String: Any] = [
            "id": asset.id, "name": fields.displayName, "type": fields.assetTypeName, "csrfToken": session.csrfToken,
            "jobState": state.state, "jobText": state.text, "pending": state.state == "queued" || state.state == "started",
            "startISO": Formatting.iso(plan.start), "startText": Formatting.readable(plan.start),
            "endISO": Formatting.iso(plan.end), "endText": Formatting.readable(plan.end),
            "hasSchedule": plan.hasSchedule,
            "targetValue": form["target_value"] ?? "", "targetDatetime": form["target_datetime"] ?? "",
            "hasErrors": errors["target_value"] != nil || errors["target_datetime"] != nil,
            "slots": plan.slots.map { slot -> [String: Any] in
                [
                    "iso": Formatting.iso(slot.start), "time": Formatting.readable(slot.start), "price": text(slot.price, digits: 2),
                    "planned": text(slot.plannedMW), "soc": text(slot.socMWh),
                ]
            },
        ]
        if let error = errors["target_value"] { values["valueError"] = error }
        if let error = errors["target_datetime"] { values["datetimeError"] = error }
        if let error = errors["form"] { values["formError"] = error }
        if let soc = fields.socInMWh { values["soc"] = Formatting.number(soc) }
        if let at = fields.socDatetime {
            values["socAt"] = Formatting.iso(at)
            values["socAtText"] = Formatting.readable(at)
        }
        if let low = fields.minSOCInMWh, let high = fields.maxSOCInMWh { values["socRange"] = "\(Formatting.number(low)) to \(Formatting.number(high)) MWh" }
        if let event = plan.event {
            values["event"] = "\(event.eventID) (\(event.kind.rawValue)) at \(Formatting.readable(event.datetime))"
                + event.targets.map { ", target \(Formatting.number($0.socInMWh)) MWh at \(Formatting.readable($0.datetime))" }.joined()
        }
        if let error = plan.job?.error, plan.job?.status == .failed { values["jobError"] = error }
        if let market = plan.market {
            values["market"] = market.displayName
            values["priceUnit"] = market.unit
        }
        return pages.page("control", title: "Control \(fields.displayName)", section: .control, session: session, values: values, charts: true, status: status)
    }

    /// Where the latest event's scheduling job is: queued, started, finished or failed (or none).
    static func jobState(_ plan: ControlPlan) -> (state: String, text: String) {
        guard let event = plan.event else { return ("none", "no schedule asked for yet") }
        guard let job = plan.job else {
            return event.jobID == nil ? ("none", "planned on request (no job)") : ("gone", "the job of event \(event.eventID) is no longer kept")
        }
        switch job.status {
        case .queued: return ("queued", "job \(job.id) queued, waiting for a worker")
        case .started: return ("started", "job \(job.id) started")
        case .finished: return ("finished", "job \(job.id) finished: the schedule is below")
        case .failed: return ("failed", "job \(job.id) failed")
        }
    }
}
