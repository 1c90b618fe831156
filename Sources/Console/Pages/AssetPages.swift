import Beliefs
import Foundation
import Hummingbird
import Registry
import Site

/// The asset pages: list (filter, paging), one asset with its chart, create, edit, delete.
enum AssetPages {
    static let pageSize = 25

    static func add(to router: Router<ConsoleContext>, services: ConsoleServices, pages: PageRenderer) {
        router.get("/assets") { request, context in
            let session = try context.requireSession(request)
            let query = request.uri.queryParameters
            let name = query["q"].map { String($0.prefix(200)).trimmingCharacters(in: .whitespaces) } ?? ""
            let type = query["type"].map(String.init) ?? ""
            var assets = try services.site.assets(for: session.user)
            if !name.isEmpty {
                assets = assets.filter { $0.fields.name.localizedCaseInsensitiveContains(name) || $0.fields.displayName.localizedCaseInsensitiveContains(name) }
            }
            if !type.isEmpty { assets = assets.filter { $0.fields.assetTypeName == type } }
            let pageCount = max(1, (assets.count + pageSize - 1) / pageSize)
            let page = min(max(1, query["page"].flatMap { Int($0) } ?? 1), pageCount)
            let shown = assets.dropFirst((page - 1) * pageSize).prefix(pageSize)
            func link(_ page: Int) -> String {
                var items = [URLQueryItem(name: "page", value: String(page))]
                if !name.isEmpty { items.append(URLQueryItem(name: "q", value: name)) }
                if !type.isEmpty { items.append(URLQueryItem(name: "type", value: type)) }
                var components = URLComponents()
                components.path = "/assets"
                components.queryItems = items
                return components.string ?? "/assets"
            }
            let types = try services.site.registry.assetTypes().map(\.name).sorted()
            var values: [String: Any] = [
                "query": name, "total": assets.count, "filtered": !name.isEmpty || !type.isEmpty,
                "types": types.map { ["name": $0, "selected": $0 == type] },
                "rows": shown.map { asset -> [String: Any] in
                    [
                        "id": asset.id, "name": asset.fields.displayName, "type": asset.fields.assetTypeName,
                        "capacity": Formatting.number(asset.fields.capacityInMW),
                        "resolution": Formatting.duration(asset.fields.eventResolution),
                        "address": address(of: asset, services),
                    ]
                },
                "page": page, "pages": pageCount, "isAdmin": session.user.isAdmin,
                "markets": try services.site.registry.markets().map { market -> [String: Any] in
                    var row: [String: Any] = ["name": market.displayName, "unit": market.unit, "latest": "–"]
                    if let current = try services.site.currentValue(of: market.id, resolution: market.eventResolution) {
                        row["latest"] = Formatting.number(current.value, digits: 2)
                        row["at"] = Formatting.iso(current.start)
                        row["atText"] = Formatting.readable(current.start)
                    }
                    return row
                },
                "weather": try services.site.registry.weatherSensors().map { sensor -> [String: Any] in
                    var row: [String: Any] = ["name": sensor.displayName, "type": sensor.weatherSensorTypeName, "unit": sensor.unit, "latest": "–"]
                    if let current = try services.site.currentValue(of: sensor.id, resolution: sensor.eventResolution) {
                        row["latest"] = Formatting.number(current.value, digits: 2)
                        row["at"] = Formatting.iso(current.start)
                        row["atText"] = Formatting.readable(current.start)
                    }
                    return row
                },
            ]
            if page > 1 { values["previous"] = link(page - 1) }
            if page < pageCount { values["next"] = link(page + 1) }
            return pages.page("assets", title: "Assets", section: .assets, session: session, values: values)
        }

        router.get("/assets/new") { request, context in
            let session = try context.requireSession(request)
            try services.site.requireAdmin(session.user, to: .createAssets)
            return try formPage(pages: pages, services: services, session: session, asset: nil, draft: AssetDraft.empty, errors: [:])
        }

        router.post("/assets") { request, context in
            let (session, form) = try await context.form(request)
            try services.site.requireAdmin(session.user, to: .createAssets)
            let draft = AssetDraft(form: form)
            do {
                let fields = try draft.fields(onto: nil)
                let asset = try services.site.registry.addAsset(fields)
                return ConsoleRedirect(to: "/assets/\(asset.id)").response
            } catch let problems as AssetDraft.Problems {
                return try formPage(pages: pages, services: services, session: session, asset: nil, draft: draft, errors: problems.byField, status: .unprocessableContent)
            } catch let error as RegistryError {
                return try formPage(pages: pages, services: services, session: session, asset: nil, draft: draft, errors: error.messagesByField, status: .unprocessableContent)
            }
        }

        router.get("/assets/{id}") { request, context in
            let session = try context.requireSession(request)
            let asset = try services.site.asset(try assetID(context), for: session.user, to: .view)
            let status = try await services.site.status(of: asset)
            let window = ChartWindow(query: request.uri.queryParameters, asset: asset, now: services.clock())
            let fields = asset.fields
            var values: [String: Any] = [
                "id": asset.id, "name": fields.displayName, "type": fields.assetTypeName, "address": address(of: asset, services),
                "capacity": Formatting.number(fields.capacityInMW), "resolution": Formatting.duration(fields.eventResolution),
                "latitude": fields.latitude, "longitude": fields.longitude,
                "owner": try services.site.registry.user(id: fields.ownerID)?.username ?? String(fields.ownerID),
                "canControl": AssetType.storageTypeNames.contains(fields.assetTypeName) || fields.assetTypeName.hasSuffix("evse"),
                "isAdmin": session.user.isAdmin, "csrfToken": session.csrfToken,
                "start": window.startDate, "end": window.endDate, "resolutionValue": window.resolutionMinutes,
                "resolutions": window.resolutionChoices,
            ]
            if let market = fields.marketID, let name = try services.site.registry.market(id: market)?.displayName { values["market"] = name }
            if let low = fields.minSOCInMWh, let high = fields.maxSOCInMWh {
                values["socRange"] = "\(Formatting.number(low)) to \(Formatting.number(high)) MWh" + (fields.socInMWh.map { ", now \(Formatting.number($0)) MWh" } ?? "")
            }
            if let power = status.latestPower {
                values["power"] = Formatting.number(power.value)
                values["powerAt"] = Formatting.iso(power.start)
                values["powerAtText"] = Formatting.readable(power.start)
            }
            // A window that could not be read is said, and the default one shown.
            let problems = ChartWindow.problems(in: request.uri.queryParameters)
            let notice = problems.isEmpty ? nil
                : "The window was not understood, so the default is shown: " + problems.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: " ")
            return pages.page("asset", title: fields.displayName, section: .assets, session: session, values: values, charts: true, notice: notice)
        }

        router.get("/assets/{id}/edit") { request, context in
            let session = try context.requireSession(request)
            let asset = try services.site.asset(try assetID(context), for: session.user, to: .change)
            return try formPage(pages: pages, services: services, session: session, asset: asset, draft: AssetDraft(asset.fields), errors: [:])
        }

        router.post("/assets/{id}") { request, context in
            let (session, form) = try await context.form(request)
            let asset = try services.site.asset(try assetID(context), for: session.user, to: .change)
            let draft = AssetDraft(form: form)
            do {
                let fields = try draft.fields(onto: asset.fields)
                try services.site.checkChange(of: asset, to: fields, by: session.user)
                _ = try services.site.registry.updateAsset(id: asset.id, to: fields)
                return ConsoleRedirect(to: "/assets/\(asset.id)").response
            } catch let problems as AssetDraft.Problems {
                return try formPage(pages: pages, services: services, session: session, asset: asset, draft: draft, errors: problems.byField, status: .unprocessableContent)
            } catch let error as RegistryError {
                guard case .invalid = error else { throw error }
                return try formPage(pages: pages, services: services, session: session, asset: asset, draft: draft, errors: error.messagesByField, status: .unprocessableContent)
            }
        }

        router.post("/assets/{id}/delete") { request, context in
            let (session, _) = try await context.form(request)
            let asset = try services.site.asset(try assetID(context), for: session.user, to: .delete)
            try services.site.deleteAsset(id: asset.id)
            return ConsoleRedirect(to: "/assets").response
        }
    }

    static func assetID(_ context: ConsoleContext) throws -> SensorID {
        guard let text = context.parameters.get("id"), let id = SensorID(text), id > 0 else {
            throw ConsoleError.notFound("There is no such asset.")
        }
        return id
    }

    static func address(of asset: Asset, _ services: ConsoleServices) -> String {
        "\(services.settings.addressPrefix):\(asset.fields.ownerID):\(asset.id)"
    }

    static func formPage(
        pages: PageRenderer, services: ConsoleServices, session: ConsoleSession, asset: Asset?, draft: AssetDraft,
        errors: [String: [String]], status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let isAdmin = session.user.isAdmin
        let types = try services.site.registry.assetTypes().map(\.name).sorted()
        let owners = isAdmin ? try services.site.registry.users() : [session.user]
        let markets = try services.site.registry.markets()
        let fields: [[String: Any]] = AssetDraft.layout.compactMap { field in
            if field.name == "owner" && !isAdmin { return nil }
            var item: [String: Any] = [
                "name": field.name, "label": field.label, "type": field.inputType, "value": draft.values[field.name] ?? "",
            ]
            if let step = field.step { item["step"] = step }
            if let error = errors[field.name]?.joined(separator: " ") { item["error"] = error }
            let current = draft.values[field.name] ?? ""
            switch field.name {
            case "asset_type":
                item["isSelect"] = true
                item["options"] = types.map { ["value": $0, "label": $0, "selected": $0 == current] }
            case "owner":
                item["isSelect"] = true
                item["options"] = owners.map { ["value": String($0.id), "label": "\($0.username) (\($0.email))", "selected": String($0.id) == current] }
            case "market":
                item["isSelect"] = true
                item["options"] = [["value": "", "label": "none", "selected": current.isEmpty]]
                    + markets.map { ["value": String($0.id), "label": $0.displayName, "selected": String($0.id) == current] }
            default: break
            }
            return item
        }
        let leftover = errors.filter { key, _ in !AssetDraft.layout.contains { $0.name == key } }
        var values: [String: Any] = [
            "heading": asset.map { "Edit \($0.fields.displayName)" } ?? "New asset",
            "action": asset.map { "/assets/\($0.id)" } ?? "/assets",
            "cancel": asset.map { "/assets/\($0.id)" } ?? "/assets",
            "csrfToken": session.csrfToken, "fields": fields, "hasErrors": !errors.isEmpty,
        ]
        if !leftover.isEmpty {
            values["hasErrors"] = true
        }
        let notice = leftover.isEmpty ? nil : leftover.map { "\($0.key): \($0.value.joined(separator: " "))" }.sorted().joined(separator: "; ")
        return pages.page("assetForm", title: values["heading"] as? String ?? "Asset", section: .assets, session: session,
                          values: values, notice: notice, status: status)
    }
}
